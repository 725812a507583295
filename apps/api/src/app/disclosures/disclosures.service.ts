import { Inject, Injectable } from '@nestjs/common';
import {
  DecryptionError,
  disclosurePassphrase,
  encryptedZip,
  KeyError,
  type HarbourCrypto,
} from '@harbour/crypto';
import {
  parsePersonCode,
  uuidv7,
  type CreateDisclosureRequest,
  type DisclosureAuthority,
  type DisclosureExportResponse,
  type DisclosureField,
  type DisclosureRequestView,
  type DisclosureStatus,
  type PersonDisclosureView,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import type { SignedInScope } from '../../core/scope/request-scope';
import {
  DisclosuresRepository,
  type DisclosureApprovalRow,
  type DisclosureChange,
  type DisclosureRow,
} from '../../data/disclosures/disclosures.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { DisclosureExporter, disclosureEntries } from './disclosure-export';
import {
  DisclosureAlreadyApprovedError,
  DisclosureSelfApprovalError,
  DisclosureStatusError,
  DisclosureUnknownPersonError,
} from './disclosures.errors';

/** The sealed columns of a request (organisation data key, bound to the request's row). */
type SealedColumn = 'requester' | 'legal_instrument' | 'legal_advice' | 'refusal_reason';

export function disclosurePlace(organisationId: string, id: string, column: SealedColumn) {
  return { organisationId, table: 'disclosure_request', column, rowId: id };
}

/** The newest requests a list shows. */
export const DISCLOSURE_LIST_LIMIT = 200;

const APPROVER_ROLES = ['admin', 'coordinator'] as const;

/** A file served for download. */
export interface DisclosureFile {
  readonly fileName: string;
  readonly content: Buffer;
}

/**
 * Disclosure requests (docs/design.md §9): recorded → under_review → approved | refused →
 * disclosed → closed (refused → closed). Approval takes two people other than the recorder,
 * one counting as coordinator and one as admin; the controller demands a fresh step-up for
 * approving, refusing and exporting. Every call is one access event naming the request and the
 * people (ids), never the words.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly requests: DisclosuresRepository,
    private readonly exporter: DisclosureExporter,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async create(
    scope: SignedInScope,
    request: CreateDisclosureRequest,
  ): Promise<DisclosureRequestView> {
    const { tx, organisationId, principal } = scope;
    const requester = required('requester', request.requester);
    const legalInstrument = required('legalInstrument', request.legalInstrument);
    const advice = request.legalAdvice?.trim() ?? '';
    if (request.periodFrom > request.periodTo) {
      throw new ValidationFailedError([{ path: 'periodTo', reason: 'beforePeriodFrom' }]);
    }
    const codes = [...new Set(request.personCodes.map((c) => parsePersonCode(c) ?? c.trim()))];
    const people = await this.requests.personsByCode(tx, organisationId, codes);
    if (people.length !== codes.length) throw new DisclosureUnknownPersonError();
    const id = uuidv7();
    const key = await this.keyring.organisationDataKey(tx, organisationId);
    const seal = (column: SealedColumn, text: string) =>
      Buffer.from(this.crypto.encryptField(key, disclosurePlace(organisationId, id, column), text));
    await this.requests.insert(
      tx,
      {
        organisationId,
        id,
        authority: request.authority,
        requester: seal('requester', requester),
        legalInstrument: seal('legal_instrument', legalInstrument),
        legalAdvice: advice === '' ? null : seal('legal_advice', advice),
        periodFrom: request.periodFrom,
        periodTo: request.periodTo,
        fields: [...new Set(request.fields)],
        recordedBy: principal.userId,
        now: this.clock.now(),
      },
      people.map((p) => p.id),
    );
    return this.one(scope, id);
  }

  /** The newest requests first. Admins see them too: codes, fields, period, who asks, advice. */
  async list(scope: SignedInScope): Promise<DisclosureRequestView[]> {
    const rows = await this.requests.list(scope.tx, scope.organisationId, DISCLOSURE_LIST_LIMIT);
    return this.views(scope, rows);
  }

  get(scope: SignedInScope, id: string): Promise<DisclosureRequestView> {
    return this.one(scope, id);
  }

  /** recorded → under_review. */
  async review(scope: SignedInScope, id: string, version: number) {
    const now = this.clock.now();
    await this.step(scope, id, version, ['recorded'], { status: 'under_review', reviewedAt: now });
    return this.one(scope, id);
  }

  /**
   * One approval. The recorder may not approve (403); a person approves once, and counts as a
   * role (admin or coordinator) not yet counted (409 otherwise). The approval that completes
   * the pair moves the request to `approved`.
   */
  async approve(scope: SignedInScope, id: string, version: number) {
    const { tx, organisationId, principal } = scope;
    const current = await this.lock(scope, id, version);
    if (current.status !== 'under_review') throw new DisclosureStatusError();
    if (current.recorded_by === principal.userId) throw new DisclosureSelfApprovalError();
    const counted = await this.requests.approvals(tx, organisationId, [id]);
    if (counted.some((a) => a.approver_id === principal.userId)) {
      throw new DisclosureAlreadyApprovedError();
    }
    const asRole = APPROVER_ROLES.find(
      (role) => principal.roles.includes(role) && !counted.some((a) => a.as_role === role),
    );
    if (asRole === undefined) throw new DisclosureAlreadyApprovedError();
    const now = this.clock.now();
    await this.requests.approve(tx, organisationId, id, principal.userId, asRole, now);
    const complete = counted.length + 1 >= APPROVER_ROLES.length;
    await this.apply(scope, id, version, {
      status: complete ? 'approved' : 'under_review',
      decidedAt: complete ? now : null,
    });
    return this.one(scope, id);
  }

  /** recorded | under_review → refused, with the reason (sealed). */
  async refuse(scope: SignedInScope, id: string, version: number, reason: string) {
    const { organisationId, principal } = scope;
    const why = required('reason', reason);
    if (why.length < 10) {
      throw new ValidationFailedError([
        { path: 'reason', reason: 'minLength', limits: { minLength: 10 } },
      ]);
    }
    const key = await this.keyring.organisationDataKey(scope.tx, organisationId);
    const sealed = Buffer.from(
      this.crypto.encryptField(key, disclosurePlace(organisationId, id, 'refusal_reason'), why),
    );
    await this.step(scope, id, version, ['recorded', 'under_review'], {
      status: 'refused',
      decidedAt: this.clock.now(),
      refusalReason: sealed,
      refusedBy: principal.userId,
    });
    return this.one(scope, id);
  }

  /** disclosed | refused → closed. */
  async close(scope: SignedInScope, id: string, version: number) {
    await this.step(scope, id, version, ['disclosed', 'refused'], {
      status: 'closed',
      closedAt: this.clock.now(),
    });
    return this.one(scope, id);
  }

  /**
   * approved → disclosed: the encrypted archive of the selected fields of the selected people
   * within the period, stored once; the passphrase is in this answer only (never stored or
   * logged).
   */
  async export(
    scope: SignedInScope,
    id: string,
    version: number,
  ): Promise<DisclosureExportResponse> {
    const { tx, organisationId, principal } = scope;
    await this.lock(scope, id, version);
    const row = (await this.requests.find(tx, organisationId, id))!;
    if (row.status !== 'approved') throw new DisclosureStatusError();
    const fields = row.fields as DisclosureField[];
    const now = this.clock.now();
    const people = await this.exporter.people(
      scope,
      row.person_ids,
      fields,
      row.period_from,
      row.period_to,
    );
    const entries = disclosureEntries(
      {
        requestId: id,
        authority: row.authority,
        legalInstrument: await this.open(tx, organisationId, id, 'legal_instrument', row),
        periodFrom: row.period_from,
        periodTo: row.period_to,
        fields,
        producedAt: now.toISOString(),
      },
      people,
    );
    const passphrase = disclosurePassphrase();
    const content = Buffer.from(encryptedZip(entries, passphrase));
    const fileName = `disclosure-${id}.zip`;
    await this.requests.insertFile(tx, organisationId, id, fileName, content, now);
    await this.apply(scope, id, version, {
      status: 'disclosed',
      disclosedAt: now,
      disclosedBy: principal.userId,
    });
    scope.note({ resourceIds: [id, ...row.person_ids], fields });
    return { passphrase, fileName, sizeBytes: content.length };
  }

  /** The encrypted archive of a disclosed request. */
  async file(scope: SignedInScope, id: string): Promise<DisclosureFile> {
    const { tx, organisationId } = scope;
    const row = await this.requests.find(tx, organisationId, id);
    if (row === undefined) throw new NotFoundError();
    const file = await this.requests.file(tx, organisationId, id);
    if (file === undefined) throw new DisclosureStatusError();
    scope.note({ resourceIds: [id, ...row.person_ids] });
    return { fileName: file.file_name, content: file.content };
  }

  /** That disclosures about a person were asked for, and what became of them. */
  async aboutPerson(scope: SignedInScope, personId: string): Promise<PersonDisclosureView[]> {
    const { tx, organisationId } = scope;
    if (!(await this.requests.personExists(tx, organisationId, personId))) {
      throw new NotFoundError();
    }
    const rows = await this.requests.aboutPerson(tx, organisationId, personId);
    scope.note({ resourceIds: [personId, ...rows.map((r) => r.id)] });
    return rows.map((r) => ({
      requestId: r.id,
      authority: r.authority as DisclosureAuthority,
      status: r.status as DisclosureStatus,
      disclosedAt: r.disclosed_at?.toISOString() ?? null,
    }));
  }

  private async lock(scope: SignedInScope, id: string, version: number) {
    const current = await this.requests.lock(scope.tx, scope.organisationId, id);
    if (current === undefined) throw new NotFoundError();
    if (current.version !== version) throw new VersionConflictError();
    return current;
  }

  private async step(
    scope: SignedInScope,
    id: string,
    version: number,
    from: readonly DisclosureStatus[],
    change: Partial<DisclosureChange> & { status: DisclosureStatus },
  ): Promise<void> {
    const current = await this.lock(scope, id, version);
    if (!from.includes(current.status as DisclosureStatus)) throw new DisclosureStatusError();
    await this.apply(scope, id, version, change);
  }

  private async apply(
    scope: SignedInScope,
    id: string,
    version: number,
    change: Partial<DisclosureChange> & { status: DisclosureStatus },
  ): Promise<void> {
    const applied = await this.requests.change(scope.tx, {
      organisationId: scope.organisationId,
      id,
      version,
      now: this.clock.now(),
      reviewedAt: null,
      decidedAt: null,
      refusalReason: null,
      refusedBy: null,
      disclosedAt: null,
      disclosedBy: null,
      closedAt: null,
      ...change,
    });
    if (!applied) throw new VersionConflictError();
  }

  private async one(scope: SignedInScope, id: string): Promise<DisclosureRequestView> {
    const row = await this.requests.find(scope.tx, scope.organisationId, id);
    if (row === undefined) throw new NotFoundError();
    const [view] = await this.views(scope, [row]);
    return view!;
  }

  private async views(
    scope: SignedInScope,
    rows: readonly DisclosureRow[],
  ): Promise<DisclosureRequestView[]> {
    const { tx, organisationId } = scope;
    const approvals = await this.requests.approvals(
      tx,
      organisationId,
      rows.map((r) => r.id),
    );
    const views: DisclosureRequestView[] = [];
    for (const row of rows) {
      const open = (column: SealedColumn) => this.open(tx, organisationId, row.id, column, row);
      views.push({
        id: row.id,
        version: row.version,
        status: row.status as DisclosureStatus,
        authority: row.authority as DisclosureAuthority,
        requester: await open('requester'),
        legalInstrument: await open('legal_instrument'),
        legalAdvice: row.legal_advice === null ? null : await open('legal_advice'),
        personCodes: row.person_codes,
        fields: row.fields as DisclosureField[],
        periodFrom: row.period_from,
        periodTo: row.period_to,
        recordedBy: row.recorded_by,
        recordedAt: row.created_at.toISOString(),
        approvals: approvals.filter((a) => a.request_id === row.id).map(approvalView),
        refusalReason: row.refusal_reason === null ? null : await open('refusal_reason'),
        disclosedAt: row.disclosed_at?.toISOString() ?? null,
        closedAt: row.closed_at?.toISOString() ?? null,
      });
    }
    scope.note({ resourceIds: [...rows.map((r) => r.id), ...rows.flatMap((r) => r.person_ids)] });
    return views;
  }

  private async open(
    tx: Tx,
    organisationId: string,
    id: string,
    column: SealedColumn,
    row: DisclosureRow,
  ): Promise<string> {
    const value = row[column];
    if (value === null) throw new IntegrityError([id]);
    try {
      const ciphertext = new Uint8Array(value);
      const key = await this.keyring.keyForField(tx, organisationId, ciphertext, null);
      return this.crypto
        .decryptText(key, disclosurePlace(organisationId, id, column), ciphertext)
        .reveal();
    } catch (error) {
      if (error instanceof DecryptionError || error instanceof KeyError) {
        throw new IntegrityError([id]);
      }
      throw error;
    }
  }
}

function required(path: string, text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationFailedError([{ path, reason: 'empty' }]);
  return trimmed;
}

function approvalView(row: DisclosureApprovalRow) {
  return {
    approverId: row.approver_id,
    asRole: row.as_role,
    approvedAt: row.approved_at.toISOString(),
  };
}
