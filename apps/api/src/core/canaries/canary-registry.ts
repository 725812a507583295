import { Injectable } from '@nestjs/common';
import type { FieldPlace } from '@harbour/crypto';
import type { Tx } from '../../infra/database/transaction';
import { KeyringService } from '../keyring/keyring.service';
import { CanariesRepository } from '../../data/canaries/canaries.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';

/** What a canary row's envelope holds (never a column of its own: see `CanaryEntity`). */
export interface CanaryRecord {
  readonly id: string;
  readonly personId: string;
  readonly plantedAt: string;
  readonly plantedBy: string | null;
  readonly caseworkerId: string | null;
  readonly retiredAt: string | null;
}

/** A canary's person as the access log names it: by id and by code. */
export interface CanaryPerson {
  readonly personId: string;
  readonly code: string;
}

function place(organisationId: string, id: string): FieldPlace {
  return { organisationId, table: 'canary', column: 'sealed', rowId: id };
}

/**
 * Which people are canaries, for the code that must know: the anomaly flags (an access to one
 * is flagged), reports (never counted) and the admin's canary routes. The marker is an
 * envelope under the organisation's data key (a database reader cannot list canaries from this
 * table); nothing here is ever part of a response to anyone but an admin.
 */
@Injectable()
export class CanaryRegistry {
  constructor(
    private readonly keyring: KeyringService,
    private readonly canaries: CanariesRepository,
    private readonly persons: PersonsRepository,
  ) {}

  async all(tx: Tx, organisationId: string): Promise<CanaryRecord[]> {
    const rows = await this.canaries.all(tx, organisationId);
    if (rows.length === 0) return [];
    const keys = await Promise.all(
      rows.map((row) => this.keyring.keyForField(tx, organisationId, row.sealed, null)),
    );
    return rows
      .map((row, i): CanaryRecord => {
        const plain = this.keyring.cipher.decryptField(
          keys[i]!,
          place(organisationId, row.id),
          row.sealed,
        );
        const sealed = JSON.parse(Buffer.from(plain).toString('utf8')) as Omit<CanaryRecord, 'id'>;
        return {
          id: row.id,
          personId: sealed.personId,
          plantedAt: sealed.plantedAt,
          plantedBy: sealed.plantedBy,
          caseworkerId: sealed.caseworkerId,
          retiredAt: sealed.retiredAt,
        };
      })
      .sort((a, b) => a.plantedAt.localeCompare(b.plantedAt) || a.id.localeCompare(b.id));
  }

  /** Every canary's person, planted or retired, with its code. */
  async people(tx: Tx, organisationId: string): Promise<CanaryPerson[]> {
    const canaries = await this.all(tx, organisationId);
    if (canaries.length === 0) return [];
    const rows = await this.persons.codesOf(
      tx,
      organisationId,
      canaries.map((c) => c.personId),
    );
    return rows.map((r) => ({ personId: r.id, code: r.code }));
  }

  /** Writes a canary's envelope (a new row, or a retired one's new state). */
  async save(tx: Tx, organisationId: string, record: CanaryRecord): Promise<void> {
    const key = await this.keyring.organisationDataKey(tx, organisationId);
    const { id, ...content } = record;
    const sealed = Buffer.from(
      this.keyring.cipher.encryptField(
        key,
        place(organisationId, id),
        new TextEncoder().encode(JSON.stringify({ v: 1, ...content })),
      ),
    );
    await this.canaries.save(tx, organisationId, id, sealed);
  }
}
