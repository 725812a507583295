import { Injectable } from '@nestjs/common';
import { ROTATABLE_FIELDS } from '@harbour/migrations';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/** A field a data-key rotation rewrites: `table.column`, its table keyed by `id`. */
export type RotatableField = (typeof ROTATABLE_FIELDS)[number];

/** Every field sealed under an organisation data key, in the order a rotation visits them. */
export const ROTATION_FIELDS: readonly RotatableField[] = ROTATABLE_FIELDS;

const batch = statement<
  { field: string; keyId: number; after: string | null; limit: number },
  { id: string; ciphertext: Buffer }
>(
  'keys.rotationBatch',
  `SELECT id, ciphertext FROM key_rotation_batch(:field, :keyId, :after::uuid, :limit)`,
);

const apply = statement<
  { field: string; ids: string[]; olds: Buffer[]; news: Buffer[] },
  { moved: number }
>(
  'keys.rotationApply',
  `SELECT key_rotation_apply(:field, :ids::uuid[], :olds::bytea[], :news::bytea[]) AS moved`,
);

const fieldsUnderKey = statement<{ organisationId: string; keyId: number }, { fields: number }>(
  'keys.fieldsUnderKey',
  `SELECT ((SELECT count(*) FROM canary
            WHERE organisation_id = :organisationId AND ciphertext_key_id(sealed) = :keyId)
       + (SELECT count(*) FROM contact
            WHERE organisation_id = :organisationId AND ciphertext_key_id(notes) = :keyId)
       + (SELECT count(*) FROM idempotency_key
            WHERE organisation_id = :organisationId AND ciphertext_key_id(response) = :keyId)
       + (SELECT count(*) FROM referral
            WHERE organisation_id = :organisationId AND ciphertext_key_id(override_reason) = :keyId)
       + (SELECT count(*) FROM staff_user
            WHERE organisation_id = :organisationId AND ciphertext_key_id(totp_pending) = :keyId)
       + (SELECT count(*) FROM staff_user
            WHERE organisation_id = :organisationId AND ciphertext_key_id(totp_secret) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(requester) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(legal_instrument) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(legal_advice) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(refusal_reason) = :keyId)
       )::int AS fields`,
);

/**
 * The rotation's access to sealed fields: through the database functions `key_rotation_batch`
 * and `key_rotation_apply` (SECURITY DEFINER, limited to the caller's tenant, to values under a
 * decrypt-only data key and to new values under the current one), and a full count.
 */
@Injectable()
export class FieldRotationRepository {
  /**
   * Up to `limit` values of `field` under key `keyId` with ids after `after`, in id order,
   * locked (rows locked by another transaction are skipped: a later pass finds them).
   */
  async batch(
    tx: Tx,
    field: RotatableField,
    keyId: number,
    after: string | null,
    limit: number,
  ): Promise<{ id: string; ciphertext: Buffer }[]> {
    return query(tx.manager, batch, { field, keyId, after, limit });
  }

  /** Replaces each old value by its new one where it is still the old one; how many moved. */
  async apply(
    tx: Tx,
    field: RotatableField,
    moves: readonly { id: string; old: Buffer; new: Buffer }[],
  ): Promise<number> {
    const [row] = await query(tx.manager, apply, {
      field,
      ids: moves.map((m) => m.id),
      olds: moves.map((m) => m.old),
      news: moves.map((m) => m.new),
    });
    return row?.moved ?? 0;
  }

  /** How many values of the organisation, in every rotatable field, are sealed under `keyId`. */
  async fieldsUnderKey(tx: Tx, organisationId: string, keyId: number): Promise<number> {
    const [row] = await query(tx.manager, fieldsUnderKey, { organisationId, keyId });
    return row?.fields ?? 0;
  }
}
