import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditAction } from '@harbour/domain';
import { AccessLog } from '../../app/audit/access-log.service';
import { appendToFrontier } from '../../app/audit/frontier';
import type { HeadRow } from '../../data/audit/audit-log.queries';
import { AuthHarness, type TestUser } from './auth-harness';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * The worlds of the access-log specs (`app/audit/*.medium-spec.ts`): a test database and the
 * app on it (`auditApp`), with an organisation (`auditWorld`); and for the log-tail specs
 * (`audit-tail*.medium-spec.ts`; docs/security.md T27, `world`) a witness folder (or none), and
 * what an attacker with the database superuser's rights does to the newest events and the log
 * head.
 */
export const MASTER_KEY = randomBytes(32).toString('base64');

export type { HeadRow };

export interface AuditApp {
  db: TestDatabase;
  app: TestApp;
  h: AuthHarness;
  close(): Promise<void>;
}

export interface AuditWorld extends AuditApp {
  org: string;
}

export interface World extends AuditWorld {
  witnessDir: string;
  caseworker: TestUser;
  auditor: TestUser;
}

/** A private database and the app on it; `close()` closes the app and drops the database. */
export async function auditApp(options: TestAppOptions = {}): Promise<AuditApp> {
  const db = await createTestDatabase();
  const app = await createTestApp(db, options);
  return {
    db,
    app,
    h: new AuthHarness(app),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** `auditApp` with an organisation named `organisation`. */
export async function auditWorld(
  organisation: string,
  options: TestAppOptions = {},
): Promise<AuditWorld> {
  const base = await auditApp(options);
  return { ...base, org: await base.h.createOrganisation(organisation) };
}

export async function world(options: { witness?: boolean } = {}): Promise<World> {
  const witnessDir = mkdtempSync(join(tmpdir(), 'harbour-witness-'));
  const base = await auditWorld('Tail Test', {
    masterKey: MASTER_KEY,
    env: { HARBOUR_AUDIT_WITNESS_DIR: options.witness === false ? 'none' : witnessDir },
  });
  const caseworker = await base.h.createUser(base.org, { roles: ['caseworker'] });
  const auditor = await base.h.createUser(base.org, { roles: ['auditor'] });
  return {
    ...base,
    witnessDir,
    caseworker,
    auditor,
    close: async () => {
      await base.close();
      rmSync(witnessDir, { recursive: true, force: true });
    },
  };
}

export async function append(app: TestApp, org: string, action: AuditAction = 'staff.listed') {
  await app.app.get(AccessLog).appendSeparately({
    organisationId: org,
    actorId: null,
    actorRoles: ['caseworker'],
    action,
    resourceType: null,
    resourceIds: [],
    fields: [],
    purpose: null,
    outcome: 'success',
    requestId: `r-${randomUUID()}`,
  });
}

export const head = async (db: TestDatabase, org: string): Promise<HeadRow> =>
  (
    await db.asSuperuser<HeadRow>(
      `SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
        WHERE organisation_id = $1`,
      [org],
    )
  )[0]!;

export const eventCount = async (db: TestDatabase, org: string): Promise<number> =>
  Number(
    (
      await db.asSuperuser<{ n: string }>(
        `SELECT count(*) AS n FROM access_event WHERE organisation_id = $1`,
        [org],
      )
    )[0]!.n,
  );

/** What an attacker computes: the frontier of the first `size` events, from their leaf hashes. */
export async function frontierOf(db: TestDatabase, org: string, size: number): Promise<Buffer[]> {
  const rows = await db.asSuperuser<{ leaf_hash: Buffer }>(
    `SELECT leaf_hash FROM access_event WHERE organisation_id = $1 AND seq < $2 ORDER BY seq`,
    [org, size],
  );
  let frontier: Uint8Array[] = [];
  rows.forEach((row, i) => {
    frontier = appendToFrontier(frontier, i, new Uint8Array(row.leaf_hash));
  });
  return frontier.map((f) => Buffer.from(f));
}

/** The superuser cuts every event from `from` on (triggers off). */
export async function cutFrom(db: TestDatabase, org: string, from: number): Promise<void> {
  await db.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
  await db.asSuperuser(`DELETE FROM access_event WHERE organisation_id = $1 AND seq >= $2`, [
    org,
    from,
  ]);
}

export async function writeHead(
  db: TestDatabase,
  org: string,
  h: Omit<HeadRow, 'tree_size' | 'checkpoint_size'> & {
    tree_size: number | string;
    checkpoint_size: number | string;
  },
) {
  await db.asSuperuser(
    `UPDATE audit_log_state SET tree_size = $2, frontier = $3, checkpoint_size = $4,
            checkpoint_at = $5, head_mac = $6 WHERE organisation_id = $1`,
    [org, h.tree_size, h.frontier, h.checkpoint_size, h.checkpoint_at, h.head_mac],
  );
}
