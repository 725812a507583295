import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto, SecretKey } from '@harbour/crypto';
import {
  canTransitionReferral,
  consentGate,
  FINAL_REFERRAL_STATUSES,
  uuidv7,
  type ConsentMethod,
  type ConsentScope,
  type CreateReferralRequest,
  type ReferralQuery,
  type ReferralStatus,
  type ReferralTransitionRequest,
  type ReferralView,
} from '@harbour/domain';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  DomainError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { InvalidTransitionError } from '../../core/records/contact.errors';
import { KeyringService } from '../../core/keyring/keyring.service';
import { PersonErasedError } from '../../core/records/person.errors';
import type { SignedInScope } from '../../core/scope/request-scope';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { PartnersRepository } from '../../data/referrals/partners.repository';
import { PartnerInactiveError } from './partners.errors';
import {
  ReferralsRepository,
  type ReferralPatch,
  type ReferralStep,
  type ReferralSummary,
} from '../../data/referrals/referrals.repository';

/** 422 `consent_required`: the referral cannot leave draft without consent or an override. */
export class ConsentRequiredError extends DomainError {
  constructor() {
    super(
      'consent_required',
      'Record the person’s consent to share, or a coordinator’s reason to go ahead without it.',
    );
  }
}

/**
 * Referrals through their state machine with the consent gate (docs/design.md §3); the partner
 * directory they point to is `PartnersService`.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly partners: PartnersRepository,
    private readonly contacts: ContactsRepository,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async create(scope: SignedInScope, request: CreateReferralRequest): Promise<ReferralView> {
    const { tx, organisationId, principal } = scope;
    const need = await this.contacts.need(tx, organisationId, request.needId);
    const partner = await this.partners.find(tx, organisationId, request.partnerId);
    const problems = [
      ...(need === null ? [{ path: 'needId', reason: 'unknown' }] : []),
      ...(partner === null ? [{ path: 'partnerId', reason: 'unknown' }] : []),
    ];
    if (problems.length > 0) throw new ValidationFailedError(problems);
    if (!partner!.active) throw new PartnerInactiveError();
    const id = uuidv7();
    const now = this.clock.now();
    await this.referrals.insert(tx, {
      organisationId,
      id,
      needId: request.needId,
      personId: need!.personId,
      partnerId: request.partnerId,
      status: 'draft',
      createdBy: principal.userId,
    });
    await this.referrals.addEvent(tx, {
      organisationId,
      referralId: id,
      from: null,
      to: 'draft',
      actorId: principal.userId,
      at: now,
    });
    scope.note({ resourceIds: [id] });
    return this.view(tx, organisationId, id);
  }

  async transition(
    scope: SignedInScope,
    id: string,
    request: ReferralTransitionRequest,
  ): Promise<ReferralView> {
    const { tx, organisationId, principal } = scope;
    const referral = await this.referrals.lock(tx, organisationId, id);
    if (referral === null) throw new NotFoundError();
    if (referral.version !== request.version) throw new VersionConflictError();
    const from = referral.status as ReferralStatus;
    if (!canTransitionReferral(from, request.to)) throw new InvalidTransitionError();

    const now = this.clock.now();
    const patch: ReferralPatch = { status: request.to };
    if (request.consent !== undefined) {
      patch.consentMethod = request.consent.method;
      patch.consentScope = [...new Set(request.consent.scope)];
      patch.consentAt = now;
      patch.consentBy = principal.userId;
    }
    const gate = consentGate({
      from,
      to: request.to,
      hasConsent: referral.consentMethod !== null || request.consent !== undefined,
      overrideReason: request.overrideReason ?? null,
      mayOverride: principal.permissions.has('referral:override_consent'),
    });
    if (!gate.allowed) {
      if (gate.reason === 'override_not_permitted') {
        throw new DomainError('forbidden', 'Only a coordinator can go ahead without consent.');
      }
      throw new ConsentRequiredError();
    }
    if (gate.override) {
      // Written about the person when the referral is theirs: under their key, so erasing them
      // shreds it (docs/security.md T28); an anonymous referral's reason is the organisation's.
      const key = await this.overrideReasonKey(tx, organisationId, referral.personId);
      patch.overrideReason = Buffer.from(
        this.crypto.encryptField(
          key,
          { organisationId, table: 'referral', column: 'override_reason', rowId: id },
          request.overrideReason!.trim(),
        ),
      );
      patch.overrideBy = principal.userId;
      // The reason itself stays encrypted: the access log records that consent was overridden.
      scope.note({ fields: ['consent_override'] });
    }
    if (FINAL_REFERRAL_STATUSES.includes(request.to)) patch.closedAt = now;
    await this.referrals.update(tx, organisationId, id, patch, now);
    await this.referrals.addEvent(tx, {
      organisationId,
      referralId: id,
      from,
      to: request.to,
      actorId: principal.userId,
      at: now,
    });
    scope.note({ resourceIds: [id] });
    return this.view(tx, organisationId, id);
  }

  async list(scope: SignedInScope, query: ReferralQuery): Promise<ReferralView[]> {
    const { tx, organisationId } = scope;
    // One query for the whole page, history included: the list is read on every visit to the
    // referrals page.
    const views = (await this.referrals.list(tx, organisationId, query)).map((r) =>
      toView(r.referral, r.history),
    );
    scope.note({ resourceIds: views.map((v) => v.id) });
    return views;
  }

  /**
   * The key of a consent-override reason: the person's own when the referral concerns a person
   * (an erased person has none, and gets no new one), the organisation's otherwise.
   */
  private async overrideReasonKey(
    tx: Tx,
    organisationId: string,
    personId: string | null,
  ): Promise<SecretKey> {
    if (personId === null) return this.keyring.organisationDataKey(tx, organisationId);
    const person = await this.persons.find(tx, organisationId, personId);
    if (person === null) throw new NotFoundError();
    if (person.erasedAt !== null) throw new PersonErasedError();
    return this.keyring.personKeyFor(tx, organisationId, personId);
  }

  private async view(tx: Tx, organisationId: string, id: string): Promise<ReferralView> {
    const row = await this.referrals.find(tx, organisationId, id);
    if (row === null) throw new NotFoundError();
    const history = await this.referrals.events(tx, organisationId, id);
    return toView({ ...row, consentOverridden: row.overrideReason !== null }, history);
  }
}

function toView(row: ReferralSummary, events: readonly ReferralStep[]): ReferralView {
  return {
    id: row.id,
    needId: row.needId,
    personId: row.personId,
    partnerId: row.partnerId,
    status: row.status as ReferralStatus,
    consent:
      row.consentMethod === null || row.consentAt === null
        ? null
        : {
            method: row.consentMethod as ConsentMethod,
            scope: row.consentScope as ConsentScope[],
            recordedAt: row.consentAt.toISOString(),
          },
    consentOverridden: row.consentOverridden,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    version: row.version,
    history: events.map((e) => ({
      from: e.fromStatus as ReferralStatus | null,
      to: e.toStatus as ReferralStatus,
      at: e.at.toISOString(),
      actorId: e.actorId,
    })),
  };
}
