import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { DisclosureRequestEntity } from './disclosure-request.entity';

/**
 * The file a disclosed request produced: a ZIP archive encrypted with AES-256 under a passphrase
 * that was shown once and is stored nowhere. Created once, never changed (insert-only).
 */
@Entity({ name: 'disclosure_file' })
@Check('disclosure_file_size', `"size_bytes" = octet_length("content")`)
export class DisclosureFileEntity extends TenantScoped {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => DisclosureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('request_id'))
  request?: DisclosureRequestEntity;
}
