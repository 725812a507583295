import { Inject, Injectable } from '@nestjs/common';
import {
  KEY_STATUSES,
  type KeyStatus,
  type KeysView,
  type OrganisationKeyPurpose,
} from '@harbour/domain';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import type { HarbourConfig } from '../../infra/config/config';
import { BackgroundJobs } from '../../core/jobs/background-jobs';
import type { SignedInScope } from '../../core/scope/request-scope';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';

/** The admin's view of the keyring: ids, purposes, states and dates, never key material. */
@Injectable()
export class KeysService {
  constructor(
    private readonly keys: OrganisationKeysRepository,
    private readonly jobs: BackgroundJobs,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  async view(scope: SignedInScope): Promise<KeysView> {
    const { tx, organisationId } = scope;
    const [rows, counts, recent] = [
      await this.keys.organisationKeys(tx, organisationId),
      await this.keys.personKeyCounts(tx, organisationId),
      await this.jobs.recent(tx, organisationId, 20),
    ];
    const personKeys = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<
      KeyStatus,
      number
    >;
    for (const row of counts) personKeys[row.status as KeyStatus] = row.keys;
    return {
      keys: rows.map((row) => ({
        keyId: row.key_id,
        purpose: row.purpose as OrganisationKeyPurpose,
        status: row.status as KeyStatus,
        createdAt: row.created_at.toISOString(),
        retiredAt: row.retired_at?.toISOString() ?? null,
        destroyAfter: row.destroy_after?.toISOString() ?? null,
      })),
      personKeys,
      backupWindowDays: this.config.keys.backupWindowDays,
      latestRotationJobId: recent[0]?.id ?? null,
    };
  }
}
