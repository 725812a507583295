import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Role } from '@harbour/domain';
import { encodeBase32, generateTotpSecret } from '@harbour/crypto';
import { Client } from 'pg';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../../core/keyring/keyring.service';
import { OrganisationProvisioning } from '../../core/organisations/organisation-provisioning';
import { generateOneTimePassword } from '../users/one-time-password';
import { DemoCaseSeeder } from './demo-cases';
import { UsersService } from '../users/users.service';

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
 * The demo's records are written in one go, so the database dates them all now; reports count
 * each record in the month it was entered (docs/adr/0007). This dates each as if it had been
 * entered on the day it happened (a referral some days after its need, its steps a couple of
 * days apart), never later than now. Runs as the owner role (the API role may not change when
 * a record was entered), on the demo organisations only.
 */
const DEMO_NAMES = [DEMO_ORGANISATION_NAME, SECOND_DEMO_ORGANISATION_NAME]
  .map((n) => `'${n.replace(/'/g, "''")}'`)
  .join(', ');

const BACKDATE_DEMO_RECORDS: readonly string[] = [
  `UPDATE contact SET created_at = least(
          occurred_on + time '08:00' + (abs(hashtext(id::text)) % 36000) * interval '1 second',
          now() - interval '1 minute')
    WHERE organisation_id IN (SELECT id FROM organisation WHERE name IN (${DEMO_NAMES}))`,
  `UPDATE support_need n SET created_at = coalesce(
          (SELECT c.created_at FROM contact c
            WHERE c.organisation_id = n.organisation_id AND c.id = n.contact_id),
          least(n.identified_on + time '12:00', now() - interval '1 minute'))
    WHERE n.organisation_id IN (SELECT id FROM organisation WHERE name IN (${DEMO_NAMES}))`,
  `UPDATE referral r SET created_at = least(
          n.created_at + (abs(hashtext(r.id::text)) % 14) * interval '1 day' + interval '2 hours',
          now() - interval '1 hour')
     FROM support_need n
    WHERE n.organisation_id = r.organisation_id AND n.id = r.need_id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name IN (${DEMO_NAMES}))`,
  `UPDATE referral_event e SET at = least(r.created_at + s.step * interval '2 days',
                                           now() - interval '1 minute')
     FROM (SELECT organisation_id, id,
                  row_number() OVER (PARTITION BY organisation_id, referral_id ORDER BY at, id) - 1
                    AS step
             FROM referral_event) s,
          referral r
    WHERE s.organisation_id = e.organisation_id AND s.id = e.id
      AND r.organisation_id = e.organisation_id AND r.id = e.referral_id
      AND e.organisation_id IN (SELECT id FROM organisation WHERE name IN (${DEMO_NAMES}))`,
  `UPDATE referral r SET
          closed_at = CASE WHEN r.closed_at IS NULL THEN NULL ELSE x.last END,
          updated_at = greatest(r.created_at, x.last)
     FROM (SELECT organisation_id, referral_id, max(at) AS last FROM referral_event
            GROUP BY organisation_id, referral_id) x
    WHERE x.organisation_id = r.organisation_id AND x.referral_id = r.id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name IN (${DEMO_NAMES}))`,
];

/**
 * `BACKDATE_DEMO_RECORDS` as one multi-statement query (one implicit transaction), for an
 * owner-role query function.
 */
export async function backdateDemoRecords(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(BACKDATE_DEMO_RECORDS.join(';\n'));
}

/**
 * How many organisations exist, read as the owner role (which may see every tenant), holding
 * an advisory lock so two starts on one database cannot both seed. Returns a release function.
 */
export async function lockAndCountOrganisations(ownerUrl: string): Promise<{
  count: number;
  /** A statement as the owner role, while the lock is held. */
  query: (sql: string, params?: unknown[]) => Promise<unknown>;
  release: () => Promise<void>;
}> {
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
      query: (sql, params) => client.query(sql, params),
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
