import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Role } from '@harbour/domain';
import { encodeBase32, generateTotpSecret } from '@harbour/crypto';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../../core/keyring/keyring.service';
import { OrganisationProvisioning } from '../../core/organisations/organisation-provisioning';
import { generateOneTimePassword } from '../users/one-time-password';
import { DemoCaseSeeder } from './demo-cases';
import { DemoDuplicateSeeder } from './demo-duplicates';
import { UsersService } from '../users/users.service';
import {
  backdateDemoRecords as backdateOwnerStatements,
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
    role: 'coordinator',
    email: 'coordinator@demo.harbour.test',
    name: 'Demo Coordinator',
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
 * second admin, for the two-admin lockdown lift) and a synthetic year of casework, plus a second
 * organisation to show tenant isolation. Users are enrolled in TOTP already; logins are written
 * to the data folder.
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
    private readonly duplicates: DemoDuplicateSeeder,
    private readonly staff: StaffUsersRepository,
  ) {}

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
    // only seeds outside it).
    await this.cases.seed(organisationIds.get(DEMO_ORGANISATION_NAME)!, {
      caseworker: staff.get('caseworker@demo.harbour.test')!,
      coordinator: staff.get('coordinator@demo.harbour.test')!,
    });
    // A few people recorded twice, for the coordinator to merge.
    await this.duplicates.seed(
      organisationIds.get(DEMO_ORGANISATION_NAME)!,
      staff.get('caseworker@demo.harbour.test')!,
    );
    return logins;
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
 * Dates each demo record as if entered on the day it happened (reports count records in the
 * month they were entered, docs/adr/0007), as the owner role through `query`.
 */
export async function backdateDemoRecords(query: OwnerQuery): Promise<void> {
  await backdateOwnerStatements(query, [DEMO_ORGANISATION_NAME, SECOND_DEMO_ORGANISATION_NAME]);
}
