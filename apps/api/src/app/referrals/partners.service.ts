import { Injectable } from '@nestjs/common';
import {
  uuidv7,
  type LanguageGroup,
  type PartnerInput,
  type PartnerQuery,
  type PartnerServiceType,
  type PartnerView,
  type UpdatePartnerRequest,
} from '@harbour/domain';
import type { RequestScope, SignedInScope } from '../../core/scope/request-scope';
import type { PartnerEntity } from '../../data/referrals/partner.entity';
import { PartnersRepository, type PartnerPatch } from '../../data/referrals/partners.repository';
import { NotFoundError, VersionConflictError } from '../../infra/http/domain-error';

/** The organisation's partner directory: the services referrals point to. */
@Injectable()
export class PartnersService {
  constructor(private readonly partners: PartnersRepository) {}

  async list(scope: SignedInScope, query: PartnerQuery): Promise<PartnerView[]> {
    const rows = await this.partners.list(scope.tx, scope.organisationId, query);
    return rows.map(partnerView);
  }

  async create(scope: RequestScope, input: PartnerInput): Promise<PartnerView> {
    const { tx } = scope;
    const organisationId = tenantOf(scope);
    const id = uuidv7();
    await this.partners.insert(tx, {
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
    scope.note({ resourceIds: [id] });
    return partnerView((await this.partners.find(tx, organisationId, id))!);
  }

  async update(
    scope: SignedInScope,
    id: string,
    request: UpdatePartnerRequest,
  ): Promise<PartnerView> {
    const { tx, organisationId } = scope;
    const { version, ...changes } = request;
    const patch: PartnerPatch = {};
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
    const written = await this.partners.update(tx, organisationId, id, patch, version);
    const row = await this.partners.find(tx, organisationId, id);
    if (row === null) throw new NotFoundError();
    if (!written) throw new VersionConflictError();
    scope.note({ resourceIds: [id] });
    return partnerView(row);
  }
}

/** The tenant of a scope (the demo data writes partners before any session exists). */
function tenantOf(scope: RequestScope): string {
  if (scope.organisationId === null) throw new NotFoundError();
  return scope.organisationId;
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
