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
  type LanguageGroup,
  type PartnerInput,
  type PartnerQuery,
  type PartnerServiceType,
  type PartnerView,
  type ReferralQuery,
  type ReferralStatus,
  type ReferralTransitionRequest,
  type ReferralView,
  type UpdatePartnerRequest,
} from '@harbour/domain';
import { noteAudit } from '../../infra/audit/audit-notes';
import type { Principal } from '../../infra/auth/principal';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import {
  DomainError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { InvalidTransitionError } from '../../core/records/contact.errors';
import { SupportNeedEntity } from '../../data/contacts/support-need.entity';
import { KeyringService } from '../../core/keyring/keyring.service';
import { PersonErasedError } from '../../core/records/person.errors';
import { PartnerEntity } from '../../data/referrals/partner.entity';
import { ReferralEventEntity } from '../../data/referrals/referral-event.entity';
import { ReferralEntity } from '../../data/referrals/referral.entity';

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
 * Referrals through their state machine with the consent gate (docs/design.md §3), and the partner
 * directory they point to.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  // ---- referrals ----------------------------------------------------------------------------

  async create(principal: Principal, request: CreateReferralRequest): Promise<ReferralView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const need = await tx.manager
      .getRepository(SupportNeedEntity)
      .findOneBy({ organisationId, id: request.needId });
    const partner = await tx.manager
      .getRepository(PartnerEntity)
      .findOneBy({ organisationId, id: request.partnerId });
    const problems = [
      ...(need === null ? [{ path: 'needId', reason: 'unknown' }] : []),
      ...(partner?.active !== true ? [{ path: 'partnerId', reason: 'unknown' }] : []),
    ];
    if (problems.length > 0) throw new ValidationFailedError(problems);
    const id = uuidv7();
    const now = this.clock.now();
    await tx.manager.getRepository(ReferralEntity).insert({
      organisationId,
      id,
      needId: request.needId,
      personId: need!.personId,
      partnerId: request.partnerId,
      status: 'draft',
      createdBy: principal.userId,
    });
    await this.history(tx, organisationId, id, null, 'draft', principal.userId, now);
    noteAudit({ resourceIds: [id] });
    return this.view(tx, organisationId, id);
  }

  async transition(
    principal: Principal,
    id: string,
    request: ReferralTransitionRequest,
  ): Promise<ReferralView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const referral = await tx.manager
      .getRepository(ReferralEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.organisation_id = :organisationId AND r.id = :id', { organisationId, id })
      .getOne();
    if (referral === null) throw new NotFoundError();
    if (referral.version !== request.version) throw new VersionConflictError();
    const from = referral.status as ReferralStatus;
    if (!canTransitionReferral(from, request.to)) throw new InvalidTransitionError();

    const now = this.clock.now();
    const patch: Partial<ReferralEntity> = { status: request.to };
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
      noteAudit({ fields: ['consent_override'] });
    }
    if (FINAL_REFERRAL_STATUSES.includes(request.to)) patch.closedAt = now;
    await tx.manager
      .createQueryBuilder()
      .update(ReferralEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: now })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
    await this.history(tx, organisationId, id, from, request.to, principal.userId, now);
    noteAudit({ resourceIds: [id] });
    return this.view(tx, organisationId, id);
  }

  async list(organisationId: string, query: ReferralQuery): Promise<ReferralView[]> {
    const tx = this.db.current();
    const qb = tx.manager
      .getRepository(ReferralEntity)
      .createQueryBuilder('r')
      .select('r.id')
      .where('r.organisation_id = :organisationId', { organisationId });
    if (query.status !== undefined) qb.andWhere('r.status = :status', { status: query.status });
    if (query.partner !== undefined)
      qb.andWhere('r.partner_id = :partner', { partner: query.partner });
    if (query.person !== undefined) qb.andWhere('r.person_id = :person', { person: query.person });
    const rows = await qb.orderBy('r.id', 'DESC').limit(200).getMany();
    const views: ReferralView[] = [];
    for (const row of rows) views.push(await this.view(tx, organisationId, row.id));
    noteAudit({ resourceIds: views.map((v) => v.id) });
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
    const [person] = await tx.manager.query<{ erased: boolean }[]>(
      `SELECT erased_at IS NOT NULL AS erased FROM person WHERE organisation_id = $1 AND id = $2`,
      [organisationId, personId],
    );
    if (person === undefined) throw new NotFoundError();
    if (person.erased) throw new PersonErasedError();
    return this.keyring.personKeyFor(tx, organisationId, personId);
  }

  private async history(
    tx: Tx,
    organisationId: string,
    referralId: string,
    from: ReferralStatus | null,
    to: ReferralStatus,
    actorId: string,
    at: Date,
  ): Promise<void> {
    await tx.manager.getRepository(ReferralEventEntity).insert({
      organisationId,
      id: uuidv7(),
      referralId,
      fromStatus: from,
      toStatus: to,
      actorId,
      at,
    });
  }

  private async view(tx: Tx, organisationId: string, id: string): Promise<ReferralView> {
    const row = await tx.manager.getRepository(ReferralEntity).findOneBy({ organisationId, id });
    if (row === null) throw new NotFoundError();
    const events = await tx.manager
      .getRepository(ReferralEventEntity)
      .find({ where: { organisationId, referralId: id }, order: { id: 'ASC' } });
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
      consentOverridden: row.overrideReason !== null,
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

  // ---- partners -----------------------------------------------------------------------------

  async partners(organisationId: string, query: PartnerQuery): Promise<PartnerView[]> {
    const tx = this.db.current();
    const qb = tx.manager
      .getRepository(PartnerEntity)
      .createQueryBuilder('p')
      .where('p.organisation_id = :organisationId', { organisationId });
    if (query.includeInactive !== true) qb.andWhere('p.active');
    if (query.serviceType !== undefined)
      qb.andWhere('p.service_type = :serviceType', { serviceType: query.serviceType });
    if (query.language !== undefined)
      qb.andWhere(':language = ANY(p.languages)', { language: query.language });
    for (const [flag, column] of [
      ['sexWorkerFriendly', 'sex_worker_friendly'],
      ['noIdRequired', 'no_id_required'],
      ['interpreters', 'interpreters'],
      ['immigrationSafe', 'immigration_safe'],
      ['free', 'free'],
    ] as const) {
      if (query[flag] === true) qb.andWhere(`p.${column}`);
    }
    const rows = await qb.orderBy('p.name').getMany();
    return rows.map(partnerView);
  }

  async createPartner(organisationId: string, input: PartnerInput): Promise<PartnerView> {
    const tx = this.db.current();
    const id = uuidv7();
    await tx.manager.getRepository(PartnerEntity).insert({
      organisationId,
      id,
      name: input.name.trim(),
      serviceType: input.serviceType,
      languages: [...new Set(input.languages ?? [])],
      sexWorkerFriendly: input.sexWorkerFriendly ?? false,
      noIdRequired: input.noIdRequired ?? false,
      interpreters: input.interpreters ?? false,
      immigrationSafe: input.immigrationSafe ?? false,
      free: input.free ?? false,
      contactDetails: input.contactDetails?.trim() ?? null,
    });
    noteAudit({ resourceIds: [id] });
    return partnerView(
      (await tx.manager.getRepository(PartnerEntity).findOneBy({ organisationId, id }))!,
    );
  }

  async updatePartner(
    organisationId: string,
    id: string,
    request: UpdatePartnerRequest,
  ): Promise<PartnerView> {
    const tx = this.db.current();
    const { version, ...changes } = request;
    const patch: Partial<PartnerEntity> = {};
    if (changes.name !== undefined) patch.name = changes.name.trim();
    if (changes.serviceType !== undefined) patch.serviceType = changes.serviceType;
    if (changes.languages !== undefined) patch.languages = [...new Set(changes.languages)];
    for (const flag of [
      'sexWorkerFriendly',
      'noIdRequired',
      'interpreters',
      'immigrationSafe',
      'free',
      'active',
    ] as const) {
      if (changes[flag] !== undefined) patch[flag] = changes[flag];
    }
    if (changes.contactDetails !== undefined) patch.contactDetails = changes.contactDetails.trim();
    const result = await tx.manager
      .createQueryBuilder()
      .update(PartnerEntity)
      .set({ ...patch, version: () => 'version + 1' })
      .where('organisation_id = :organisationId AND id = :id AND version = :version', {
        organisationId,
        id,
        version,
      })
      .execute();
    const row = await tx.manager.getRepository(PartnerEntity).findOneBy({ organisationId, id });
    if (row === null) throw new NotFoundError();
    if (result.affected !== 1) throw new VersionConflictError();
    noteAudit({ resourceIds: [id] });
    return partnerView(row);
  }
}

function partnerView(row: PartnerEntity): PartnerView {
  return {
    id: row.id,
    name: row.name,
    serviceType: row.serviceType as PartnerServiceType,
    languages: row.languages as LanguageGroup[],
    sexWorkerFriendly: row.sexWorkerFriendly,
    noIdRequired: row.noIdRequired,
    interpreters: row.interpreters,
    immigrationSafe: row.immigrationSafe,
    free: row.free,
    contactDetails: row.contactDetails,
    active: row.active,
    version: row.version,
  };
}
