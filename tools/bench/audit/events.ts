import { AUDIT_ACTIONS, type AuditAction, type AuditOutcome, type Role } from '@harbour/domain';
import type { AccessEventInput } from '@harbour/api/internal';

/**
 * Access events for the benchmark: deterministic (a seeded PRNG, so every run logs the same
 * events and the canonical bytes have the same sizes), and shaped like what the API writes
 * (docs/design.md §7): uuid actors and resource ids, role sets, field names, an occasional stated
 * purpose, a uuid request id. Never plaintext identity.
 */

/** Mulberry32: a small, fast, seedable PRNG (quality is irrelevant here, repeatability is not). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

/** A uuid string of the given version from the PRNG (variant 10xx). */
function uuid(random: () => number, version: 4 | 7): string {
  let out = '';
  for (let i = 0; i < 32; i++) {
    let nibble = Math.floor(random() * 16);
    if (i === 12) nibble = version;
    if (i === 16) nibble = 8 + (nibble & 3);
    out += HEX[nibble]!;
    if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
  }
  return out;
}

const ROLE_SETS: readonly (readonly [number, readonly Role[]])[] = [
  [0.6, ['caseworker']],
  [0.15, ['coordinator']],
  [0.1, ['caseworker', 'coordinator']],
  [0.05, ['auditor']],
  [0.1, ['admin']],
];
const RESOURCE_TYPES: readonly (readonly [number, string | null])[] = [
  [0.3, null],
  [0.4, 'staff_user'],
  [0.2, 'organisation'],
  [0.1, 'session'],
];
const FIELD_NAMES = ['email', 'display_name', 'roles', 'mfa', 'status'] as const;
const PURPOSES = [
  'Follow-up after outreach visit',
  'Referral to housing support',
  'Quarterly funder report',
  'Safeguarding review',
] as const;
const OUTCOMES: readonly (readonly [number, AuditOutcome])[] = [
  [0.95, 'success'],
  [0.04, 'denied'],
  [0.01, 'failure'],
];

function weighted<T>(random: () => number, table: readonly (readonly [number, T])[]): T {
  let r = random();
  for (const [weight, value] of table) {
    if (r < weight) return value;
    r -= weight;
  }
  return table[table.length - 1]![1];
}

export type EventInput = Omit<AccessEventInput, 'organisationId'>;

/**
 * An endless, repeatable stream of event inputs (everything the caller of `AccessLog.append`
 * supplies except the organisation). `seed` picks the stream.
 */
export class EventSource {
  private readonly random: () => number;
  private readonly staff: readonly string[];

  constructor(seed: number) {
    this.random = mulberry32(seed);
    const staffRandom = mulberry32(seed ^ 0x5eed);
    this.staff = Array.from({ length: 200 }, () => uuid(staffRandom, 7));
  }

  next(): EventInput {
    const random = this.random;
    const action: AuditAction = AUDIT_ACTIONS[Math.floor(random() * AUDIT_ACTIONS.length)]!;
    const resourceIdCount = Math.floor(random() * 3);
    const fieldCount = Math.floor(random() * 4);
    const fields: string[] = [];
    for (let i = 0; i < fieldCount; i++) {
      const name = FIELD_NAMES[Math.floor(random() * FIELD_NAMES.length)]!;
      if (!fields.includes(name)) fields.push(name);
    }
    return {
      actorId: random() < 0.05 ? null : this.staff[Math.floor(random() * this.staff.length)]!,
      actorRoles: weighted(random, ROLE_SETS),
      action,
      resourceType: weighted(random, RESOURCE_TYPES),
      resourceIds: Array.from({ length: resourceIdCount }, () => uuid(random, 7)),
      fields,
      purpose: random() < 0.3 ? PURPOSES[Math.floor(random() * PURPOSES.length)]! : null,
      outcome: weighted(random, OUTCOMES),
      requestId: uuid(random, 4),
    };
  }

  /** An input for organisation `organisationId`. */
  nextFor(organisationId: string): AccessEventInput {
    return { organisationId, ...this.next() };
  }
}
