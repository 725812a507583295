import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { StaffUserEntity } from '../staff/staff-user.entity';

/**
 * The generation of a staff member's device keys (docs/adr/0012): the key the API releases to a
 * signed-in console for one device is derived from the user, the device and this epoch, so
 * raising the epoch (password reset, lockdown, "forget my devices") makes every key released
 * before unable to open what a device holds. No row: epoch 0.
 */
@Entity({ name: 'device_key_epoch' })
@Check('device_key_epoch_positive', `"epoch" >= 0`)
export class DeviceKeyEpochEntity extends TenantScoped {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'integer', default: 0 })
  epoch!: number;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('user_id'))
  user?: StaffUserEntity;
}
