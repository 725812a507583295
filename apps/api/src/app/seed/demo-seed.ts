import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Role } from '@harbour/domain';
import { encodeBase32, generateTotpSecret } from '@harbour/crypto';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../../core/keyring/keyring.service';
import { OrganisationProvisioning } from '../../core/organisations/organisation-provisioning';
import { generateOneTimePassword } from '../users/one-time-password';
import { DemoCaseSeeder, demoActing, type DemoCases } from './demo-cases';
import { DEMO_ADDITIONS } from './demo-additions';
import { seededBy } from './demo-calendar';
import type { DemoContext, DemoWorker } from './demo-context';
import { UsersService } from '../users/users.service';
import {
  backdateDemoRecords as backdateOwnerStatements,
  emptyTimeline,
  type DemoTimeline,
  type OwnerQuery,
} from '../../data/seed/demo-owner-statements';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';

export const DEMO_ORGANISATION_NAME = 'Harbour Demo Outreach';
export const SECOND_DEMO_ORGANISATION_NAME = 'Second Demo Service';

/** One line of `.harbour/demo-credentials.json` (docs/design.md §11). */
export interface DemoLogin {
  readonly organisation: string;
  readonly role: Role;
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret, so scripts and browser tests can compute codes. */
  readonly totpSecret: string;
}

const DEMO_USERS: readonly { organisation: string; role: Role; email: string; name: string }[] = [
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'caseworker',
    email: 'caseworker@demo.harbour.test',
    name: 'Demo Caseworker',
  },
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'caseworker',
    email: 'peer@demo.harbour.test',
    name: 'Demo Peer Worker',
  },
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'coordinator',
    email: 'coordinator@demo.harbour.test',
    name: 'Demo Coordinator',
  },
  // A disclosure request needs a coordinator other than the one who recorded it (and an admin).
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'coordinator',
    email: 'coordinator2@demo.harbour.test',
    name: 'Second Demo Coordinator',
  },
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'auditor',
    email: 'auditor@demo.harbour.test',
    name: 'Demo Auditor',
  },
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'admin',
    email: 'admin@demo.harbour.test',
    name: 'Demo Admin',
  },
  {
    organisation: DEMO_ORGANISATION_NAME,
    role: 'admin',
    email: 'admin2@demo.harbour.test',
    name: 'Second Demo Admin',
  },
  {
    organisation: SECOND_DEMO_ORGANISATION_NAME,
    role: 'admin',
    email: 'admin@second.harbour.test',
    name: 'Second Service Admin',
  },
  {
    organisation: SECOND_DEMO_ORGANISATION_NAME,
    role: 'caseworker',
    email: 'caseworker@second.harbour.test',
    name: 'Second Service Caseworker',
  },
];

/**
 * Development only (never in production): a demo organisation with one user per role (and a
 * second caseworker, the peer worker, to hand people over to; a second admin, for the two-admin
 * lockdown lift) and a synthetic year of casework, plus a second organisation to show tenant
 * isolation. Users are enrolled in TOTP already; logins are written to the data folder. The
 * casework is planned over the twelve months before the clock; `timeline` says when each record
 * happened, for `backdateDemoRecords` (run as the owner role after `seed`).
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly organisations: OrganisationProvisioning,
    private readonly db: Db,
    private readonly hasher: PasswordHasher,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    private readonly cases: DemoCaseSeeder,
    private readonly staff: StaffUsersRepository,
    private readonly modules: ModuleRef,
  ) {}

  private planned: DemoTimeline | null = null;

  /** When the last seed's records happened (empty before a seed). */
  get timeline(): DemoTimeline {
    return this.planned ?? emptyTimeline('00000000-0000-0000-0000-000000000000');
  }

  async seed(): Promise<DemoLogin[]> {
    const organisationIds = new Map<string, string>();
    for (const name of [DEMO_ORGANISATION_NAME, SECOND_DEMO_ORGANISATION_NAME]) {
      organisationIds.set(name, await this.organisations.create(name));
    }
    const logins: DemoLogin[] = [];
    const staff = new Map<string, string>();
    for (const demo of DEMO_USERS) {
      const organisationId = organisationIds.get(demo.organisation)!;
      const password = `demo-${generateOneTimePassword().toLowerCase()}`;
      const secret = generateTotpSecret();
      try {
        await this.db.transaction(organisationId, async (tx) => {
          const now = this.clock.now();
          const user = await UsersService.insert(
            tx,
            organisationId,
            {
              email: demo.email,
              displayName: demo.name,
              roles: [demo.role],
              passwordHash: await this.hasher.hash(password),
              mustChangePassword: false,
            },
            now,
          );
          const encrypted = await this.keyring.sealStaffSecret(
            tx,
            { organisationId, userId: user.id, column: 'totp_secret' },
            secret,
          );
          await this.staff.setTotpSecret(tx, user.id, Buffer.from(encrypted), now);
          staff.set(demo.email, user.id);
        });
        logins.push({
          organisation: demo.organisation,
          role: demo.role,
          email: demo.email,
          password,
          totpSecret: encodeBase32(secret),
        });
      } finally {
        secret.fill(0);
      }
    }
    // A synthetic year of casework in the demo organisation (never in production: the caller
    // only seeds outside it), then what the other parts of the demo add to it, in order.
    const organisationId = organisationIds.get(DEMO_ORGANISATION_NAME)!;
    const workers = {
      caseworker: staff.get('caseworker@demo.harbour.test')!,
      peer: staff.get('peer@demo.harbour.test')!,
      coordinator: staff.get('coordinator@demo.harbour.test')!,
    };
    const cases = await this.cases.seed(organisationId, workers);
    this.planned = cases.timeline;
    const demo = this.context(organisationId, workers, cases);
    for (const addition of DEMO_ADDITIONS) {
      const step = this.modules.get(addition, { strict: false });
      await this.db.transaction(organisationId, (tx) => step.seed(tx, demo));
    }
    return logins;
  }

  /** What the casework leaves for the additions (`DemoContext`). */
  private context(
    organisationId: string,
    staff: Record<DemoWorker, string>,
    cases: DemoCases,
  ): DemoContext {
    const now = this.clock.now();
    return {
      organisationId,
      now,
      staff,
      partnerIds: cases.partnerIds,
      people: cases.people,
      referrals: cases.referrals,
      timeline: cases.timeline,
      as: demoActing(organisationId, staff, now),
      random: seededBy,
    };
  }
}

/** Writes the demo logins with mode 0600 (development only). */
export function writeDemoCredentials(dataDir: string, logins: readonly DemoLogin[]): string {
  const file = join(dataDir, 'demo-credentials.json');
  writeFileSync(file, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * Dates each demo record as if entered when it happened (reports count records in the month
 * they were entered, docs/adr/0007), as planned by the seed (`DemoSeeder.timeline`), as the
 * owner role through `query`.
 */
export async function backdateDemoRecords(
  query: OwnerQuery,
  timeline: DemoTimeline,
): Promise<void> {
  await backdateOwnerStatements(query, timeline);
}
