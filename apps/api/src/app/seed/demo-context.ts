import type { LanguageGroup, ReferralStatus } from '@harbour/domain';
import type { DemoTimeline } from '../../data/seed/demo-owner-statements';
import type { Tx } from '../../infra/database/transaction';
import type { SignedInScope } from '../../core/scope/request-scope';

/** The demo organisation's staff who do casework, by what they are in the demo. */
export type DemoWorker = 'caseworker' | 'peer' | 'coordinator';

/** A person the demo recorded, as later parts of the demo need to know them. */
export interface DemoPersonFacts {
  readonly id: string;
  /** The pseudonymous code the console shows. */
  readonly code: string;
  /** The worker who mostly sees them (the demo caseworker or the peer worker). */
  readonly worker: 'caseworker' | 'peer';
  readonly languageGroup: LanguageGroup;
  /** Whether any identity (name, date of birth …) is held. */
  readonly identified: boolean;
  /** When each of their contacts was written down, oldest first. */
  readonly contacts: readonly Date[];
  /** When they were erased at their request, or null. */
  readonly erasedAt: Date | null;
}

/** A referral the demo made, with where its journey stopped. */
export interface DemoReferralFacts {
  readonly id: string;
  readonly personId: string;
  readonly needId: string;
  readonly partnerId: string;
  readonly status: ReferralStatus;
  /** The worker who made it. */
  readonly worker: DemoWorker;
  readonly createdAt: Date;
  /** The time of its last event (when it was last updated). */
  readonly lastEventAt: Date;
}

/**
 * What the demo's casework left for the parts of the demo added after it (follow-ups, key
 * workers, duplicates, outcome check-ins): one object, handed to each `DemoAddition` in turn.
 */
export interface DemoContext {
  readonly organisationId: string;
  /** The seed's clock: every planned moment is before it. */
  readonly now: Date;
  /** Staff ids of the demo organisation's caseworker, peer worker and coordinator. */
  readonly staff: Readonly<Record<DemoWorker, string>>;
  readonly partnerIds: readonly string[];
  /** Everyone recorded; an addition that changes a person (an erasure) replaces their entry. */
  readonly people: DemoPersonFacts[];
  readonly referrals: readonly DemoReferralFacts[];
  /**
   * When the demo's records happened; the start-up dates them so after seeding (as the owner
   * role). An addition whose rows must look older than now adds to it (and to the statements
   * in `data/seed/demo-owner-statements.ts` if its table is new there).
   */
  readonly timeline: DemoTimeline;
  /** A scope acting as that staff member, for the services that write records. */
  as(tx: Tx, worker: DemoWorker): SignedInScope;
  /** A seeded generator of its own for each label, so additions do not shift each other. */
  random(label: string): () => number;
}

/**
 * One part of the demo seeded after the casework: an injectable listed in `DEMO_ADDITIONS`
 * (`demo-additions.ts`). Each runs in its own transaction in the demo organisation, in order.
 */
export interface DemoAddition {
  seed(tx: Tx, demo: DemoContext): Promise<void>;
}
