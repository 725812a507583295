import { AGE_BANDS, GENDER_IDENTITIES, LANGUAGE_GROUPS, REGIONS_OF_ORIGIN } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { EditableRecord, sameOrganisation } from '../tenant-entity';

/**
 * A person the organisation supports (docs/design.md §3): a random pseudonymous code and class C
 * categories only. Identity lives encrypted in `person_identity`, under the person's own key.
 */
@Entity({ name: 'person' })
@Index('person_code_unique', ['organisationId', 'code'], { unique: true })
@Check('person_code_format', `"code" ~ '^HB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'`)
@Check('person_age_band', `"age_band" IN (${sqlList(AGE_BANDS)})`)
@Check('person_region_of_origin', `"region_of_origin" IN (${sqlList(REGIONS_OF_ORIGIN)})`)
@Check(
  'person_language_group',
  `"language_group" IS NULL OR "language_group" IN (${sqlList(LANGUAGE_GROUPS)})`,
)
@Check(
  'person_gender_identity',
  `"gender_identity" IS NULL OR "gender_identity" IN (${sqlList(GENDER_IDENTITIES)})`,
)
@Check('person_erased_has_no_identity', `"erased_at" IS NULL OR NOT "has_identity"`)
@Check('person_merged_is_erased', `"merged_into" IS NULL OR "erased_at" IS NOT NULL`)
@Check('person_merged_into_other', `"merged_into" IS NULL OR "merged_into" <> "id"`)
export class PersonEntity extends EditableRecord {
  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'age_band', type: 'text', default: 'unknown' })
  ageBand!: string;

  @Column({ name: 'region_of_origin', type: 'text', default: 'unknown' })
  regionOfOrigin!: string;

  @Column({ name: 'language_group', type: 'text', nullable: true })
  languageGroup!: string | null;

  @Column({ name: 'gender_identity', type: 'text', nullable: true })
  genderIdentity!: string | null;

  @Column({ name: 'consent_to_reporting', type: 'boolean', default: false })
  consentToReporting!: boolean;

  /** Whether an identity row exists (any identity field was given). */
  @Column({ name: 'has_identity', type: 'boolean', default: false })
  hasIdentity!: boolean;

  /** Set when the identity was erased at the person's request (keys destroyed, docs/design.md §9). */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /**
   * A restricted person (a relative of staff, a high-profile case): only their key workers and
   * coordinators may reveal their identity or read their notes (`PersonAccess`).
   */
  @Column({ type: 'boolean', default: false })
  restricted!: boolean;

  /** Who last set or cleared the restriction, and when (null until anyone has). */
  @Column({ name: 'restricted_changed_by', type: 'uuid', nullable: true })
  restrictedChangedBy!: string | null;

  @Column({ name: 'restricted_changed_at', type: 'timestamptz', nullable: true })
  restrictedChangedAt!: Date | null;

  /**
   * Set when this record was merged into another person (a duplicate; `person_merge` says when
   * and by whom): everything it had moved there, and its key was destroyed, as at erasure.
   */
  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('merged_into'))
  survivor?: PersonEntity;
}
