import { Inject, Injectable } from '@nestjs/common';
import type { KeyProvider } from '@harbour/crypto';
import { KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';

/** What re-wrapping one organisation's KEKs did. */
export interface RewrapResult {
  /** KEKs now wrapped by the current master key that were not before. */
  readonly rewrapped: number;
  /** KEKs that already were (an earlier, interrupted run got to them). */
  readonly already: number;
}

/**
 * Master-key rotation (docs/operations.md "Master-key rotation"): every KEK wrapped by a
 * previous master key is unwrapped by it and wrapped again by the current one, in the
 * organisation's transaction (rows locked, written only if unchanged). Nothing below the KEKs
 * changes. Idempotent: run again after an interruption, it finishes the rest.
 */
@Injectable()
export class MasterKeyRotation {
  constructor(
    @Inject(KEY_PROVIDER) private readonly provider: KeyProvider,
    private readonly keys: OrganisationKeysRepository,
  ) {}

  /** The current master key's id (what every KEK is wrapped by once this is done). */
  get currentId(): string {
    return this.provider.id;
  }

  async rewrapOrganisation(tx: Tx, organisationId: string): Promise<RewrapResult> {
    let rewrapped = 0;
    let already = 0;
    for (const row of await this.keys.keks(tx, organisationId)) {
      if (row.wrapped === null) continue; // destroyed: nothing to wrap
      if (row.wrapped_by === this.provider.id) {
        already++;
        continue;
      }
      const binding = { organisationId, purpose: 'kek', keyId: row.key_id } as const;
      const kek = await this.provider.unwrapKek(
        new Uint8Array(row.wrapped),
        binding,
        row.wrapped_by,
      );
      try {
        const wrapped = Buffer.from(await this.provider.wrapKek(kek, binding));
        const changed = await this.keys.rewrapKek(organisationId, {
          keyId: row.key_id,
          old: row.wrapped,
          wrapped,
          wrappedBy: this.provider.id,
        });
        if (changed) rewrapped++;
      } finally {
        kek.destroy();
      }
    }
    return { rewrapped, already };
  }
}
