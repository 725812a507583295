import { Injectable } from '@nestjs/common';
import { OUTCOME_DOMAINS, uuidv7, type OutcomeDomain } from '@harbour/domain';
import { OutcomeCheckInsRepository } from '../../data/outcomes/outcome-check-ins.repository';
import type { Tx } from '../../infra/database/transaction';
import type { DemoAddition, DemoContext } from './demo-context';

/** A small seeded generator, so every demo database holds the same check-ins. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How often each domain comes up at a check-in: safety and health nearly always, legal and
 * migration status rarely (people raise it when they choose) — so the demo's outcome report
 * shows published cells for the common domains and hidden ones for the rare.
 */
const DISCUSSED: Readonly<Record<OutcomeDomain, number>> = {
  safety: 0.9,
  legal_status: 0.2,
  health_wellbeing: 0.8,
  work_money: 0.7,
  housing: 0.55,
  social_support: 0.45,
};

const DAY = 86_400_000;

/**
 * Development only (never in production): outcome check-ins over the demo year for most people
 * with contacts — the first at or after their first contact, then every two to five weeks up to
 * their last contact (a check-in is done with the person, at a contact) — with ratings that
 * mostly improve, sometimes slip, each entered by the person's usual worker and dated as if
 * entered on its day (reports count a check-in in the month it was entered).
 */
@Injectable()
export class DemoOutcomes implements DemoAddition {
  constructor(private readonly repository: OutcomeCheckInsRepository) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const random = mulberry32(0x0c4ec);
    const today = demo.now.getTime();
    const people = [...demo.people].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const person of people) {
      if (person.contacts.length === 0 || person.erasedAt !== null) continue;
      if (random() < 0.15) continue;
      const level = Object.fromEntries(
        OUTCOME_DOMAINS.map((d) => [d, 1 + Math.floor(random() * 3)]),
      ) as Record<OutcomeDomain, number>;
      const first = person.contacts[0]!.getTime();
      const last = Math.min(person.contacts[person.contacts.length - 1]!.getTime(), today - DAY);
      let at = first - (first % DAY) + Math.floor(random() * 14) * DAY;
      while (at <= last) {
        const ratings = {} as Record<OutcomeDomain, number | null>;
        for (const domain of OUTCOME_DOMAINS) {
          if (random() >= DISCUSSED[domain]) {
            ratings[domain] = null;
            continue;
          }
          const step = random();
          level[domain] = Math.max(
            1,
            Math.min(5, level[domain] + (step < 0.45 ? 1 : step < 0.8 ? 0 : -1)),
          );
          ratings[domain] = level[domain];
        }
        if (OUTCOME_DOMAINS.every((d) => ratings[d] === null)) ratings.safety = level.safety;
        await this.repository.insertEnteredAt(tx, {
          organisationId: demo.organisationId,
          id: uuidv7(),
          personId: person.id,
          checkedOn: new Date(at).toISOString().slice(0, 10),
          safety: ratings.safety,
          legalStatus: ratings.legal_status,
          healthWellbeing: ratings.health_wellbeing,
          workMoney: ratings.work_money,
          housing: ratings.housing,
          socialSupport: ratings.social_support,
          createdBy: demo.staff[person.worker],
          createdAt: new Date(
            Math.min(at + 10 * 3_600_000 + Math.floor(random() * 6 * 3_600_000), today - 60_000),
          ),
        });
        at += (14 + Math.floor(random() * 22)) * DAY;
      }
    }
  }
}
