import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Role } from '@harbour/domain';
import { encodeBase32, generateTotpSecret } from '@harbour/crypto';
import { Client } from 'pg';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import { OrganisationService } from '../organisations/organisation.service';
import { generateOneTimePassword } from '../users/one-time-password';
import { DemoCaseSeeder } from './demo-cases';
import { UsersService } from '../users/users.service';

export const DEMO_ORGANISATION_NAME = 'Harbour Demo Outreach';
export const SECOND_DEMO_ORGANISATION_NAME = 'Second Demo Service';

/** One line of `.harbour/demo-credentials.json` (DESIGN.md §11). */
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
    private readonly organisations: OrganisationService,
    private readonly db: Db,
    private readonly hasher: PasswordHasher,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    private readonly cases: DemoCaseSeeder,
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
          await tx.manager.query(
            `UPDATE staff_user SET totp_secret = $2, totp_enrolled_at = $3 WHERE id = $1`,
            [user.id, Buffer.from(encrypted), now],
          );
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
 * How many organisations exist, read as the owner role (which may see every tenant), holding
 * an advisory lock so two starts on one database cannot both seed. Returns a release function.
 */
export async function lockAndCountOrganisations(
  ownerUrl: string,
): Promise<{ count: number; release: () => Promise<void> }> {
  const client = new Client({ connectionString: ownerUrl, application_name: 'harbour-seed' });
  await client.connect();
  try {
    const role = await client.query<{ rolbypassrls: boolean }>(
      'SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    if (role.rows[0]?.rolbypassrls !== true) {
      // Without it the owner sees no tenant rows and would re-seed on every start.
      throw new Error(
        'demo seeding needs an owner role with BYPASSRLS (the embedded database has one)',
      );
    }
    await client.query(`SELECT pg_advisory_lock(hashtext('harbour.demo-seed'))`);
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM organisation');
    return {
      count: Number(rows[0]?.count ?? 0),
      release: async () => {
        await client
          .query(`SELECT pg_advisory_unlock(hashtext('harbour.demo-seed'))`)
          .catch(() => undefined);
        await client.end();
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}
