import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenant-entity';

/**
 * One closed period's published figures for one family of reports (docs/adr/0007): computed and
 * protected once, the first time a report asks for the period after it has closed, and then
 * served as they are. Only published numbers are kept (suppressed ones are null), for both
 * tiers and every filter. The API role may insert and read, never change or delete: a period's
 * figures are frozen.
 */
@Entity({ name: 'report_publication' })
@Check(
  'report_publication_family',
  `"family" IN ('needs', 'referrals', 'contacts', 'outcomes', 'checkIns', 'disclosures')`,
)
@Check('report_publication_period', `"period" ~ '^[0-9]{4}(-Q[1-4])?$'`)
export class ReportPublicationEntity extends TenantEntity {
  /**
   * `needs`, `referrals`, `contacts`, `checkIns` (by quarter) or `outcomes` (by quarter or year).
   */
  @PrimaryColumn({ type: 'text' })
  family!: string;

  /** `YYYY-Qn`, or `YYYY` for a year's outcomes. */
  @PrimaryColumn({ type: 'text' })
  period!: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;

  /** The internal tier's k at publication. */
  @Column({ type: 'integer' })
  k!: number;

  /** The published tables (`ReportPublication` in `report-publication.ts`). */
  @Column({ type: 'jsonb' })
  content!: unknown;
}
