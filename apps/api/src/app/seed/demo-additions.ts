import type { Type } from '@nestjs/common';
import type { DemoAddition } from './demo-context';
import { DemoDuplicates } from './demo-duplicates';
import { DemoErasures } from './demo-erasures';
import { DemoFollowUps } from './demo-follow-ups';
import { DemoKeyWorkers } from './demo-key-workers';
import { DemoOutcomes } from './demo-outcomes';
import { DemoRetention } from './demo-retention';

/**
 * The parts of the demo seeded after its casework, in this order: one line each (an
 * `@Injectable()` implementing `DemoAddition`, which `SeedModule` provides from this list). Each
 * gets the `DemoContext` (people, referrals, staff, the clock) and its own transaction.
 */
export const DEMO_ADDITIONS: readonly Type<DemoAddition>[] = [
  DemoKeyWorkers,
  DemoFollowUps,
  DemoOutcomes,
  DemoDuplicates,
  DemoRetention,
  // Add yours above this line.
  DemoErasures, // last: nothing is added for a person after their erasure
];
