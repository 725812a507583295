import { Injectable } from '@nestjs/common';
import type { PartnerQuery } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { PartnerEntity } from './partner.entity';

/** What an update may change on a partner. */
export type PartnerPatch = Partial<
  Pick<
    PartnerEntity,
    | 'name'
    | 'serviceType'
    | 'languages'
    | 'sexWorkerFriendly'
    | 'noIdRequired'
    | 'interpreters'
    | 'immigrationSafe'
    | 'free'
    | 'active'
    | 'contactDetails'
  >
>;

/** The organisation's partner directory. */
@Injectable()
export class PartnersRepository {
  find(tx: Tx, organisationId: string, id: string): Promise<PartnerEntity | null> {
    return tx.manager.getRepository(PartnerEntity).findOneBy({ organisationId, id });
  }

  /** Partners matching the filter, by name; active ones only unless asked. */
  list(tx: Tx, organisationId: string, query: PartnerQuery): Promise<PartnerEntity[]> {
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
    return qb.orderBy('p.name').getMany();
  }

  async insert(
    tx: Tx,
    row: Omit<PartnerEntity, 'active' | 'version' | 'createdAt' | 'updatedAt' | 'organisation'>,
  ): Promise<void> {
    await tx.manager.getRepository(PartnerEntity).insert(row);
  }

  /** Writes `patch` when the partner is still at `version`; false when another write came first. */
  async update(
    tx: Tx,
    organisationId: string,
    id: string,
    patch: PartnerPatch,
    version: number,
  ): Promise<boolean> {
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
    return result.affected === 1;
  }
}
