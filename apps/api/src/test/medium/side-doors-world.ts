import type { HarbourCrypto } from '@harbour/crypto';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { CANARY_PEOPLE } from '../canaries';
import { AuthHarness, type TestBrowser, type TestUser } from './auth-harness';
import { createTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * The world of the side-door specs (`app/side-doors*.medium-spec.ts`; docs/security.md T28): two
 * organisations, a caseworker, a coordinator and an auditor signed in, and the ways the attacks
 * look for a name — every table as a dump would show it, an HTTP answer, a raw header.
 * `useSideDoorsWorld()` builds it before the spec's tests and takes it down after them.
 */
export class SideDoorsWorld {
  db!: TestDatabase;
  harbour!: TestApp;
  h!: AuthHarness;
  org!: string;
  otherOrg!: string;
  /** Replaced by some tests (a caseworker signed in again after an erasure). */
  cw!: TestBrowser;
  coordinator!: TestUser;
  coord!: TestBrowser;
  auditorUser!: TestUser;
  auditor!: TestBrowser;

  async setUp(): Promise<void> {
    this.db = await createTestDatabase();
    this.harbour = await createTestApp(this.db);
    const h = (this.h = new AuthHarness(this.harbour));
    this.org = await h.createOrganisation('Side Doors Outreach');
    this.otherOrg = await h.createOrganisation('Other Side Doors Outreach');
    this.cw = await h.signIn(await h.createUser(this.org, { roles: ['caseworker'] }));
    this.coordinator = await h.createUser(this.org, { roles: ['coordinator'] });
    this.coord = await h.signIn(this.coordinator);
    this.auditorUser = await h.createUser(this.org, { roles: ['auditor'] });
    this.auditor = await h.signIn(this.auditorUser);
  }

  async tearDown(): Promise<void> {
    await this.harbour.close();
    await this.db.drop();
  }

  crypto(): HarbourCrypto {
    return this.harbour.app.get<HarbourCrypto>(HARBOUR_CRYPTO);
  }

  /** Every row of every table as text (what a dump holds in plaintext). */
  async tableText(): Promise<string> {
    const tables = await this.db.asSuperuser<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    let text = '';
    for (const { name } of tables) {
      const [row] = await this.db.asSuperuser<{ text: string | null }>(
        `SELECT string_agg(t::text, E'\\n') AS text FROM ${name} t`,
      );
      text += `${row?.text ?? ''}\n`;
    }
    return text;
  }

  /**
   * Canary values in an HTTP answer, exactly as written or URL-encoded (JSON field names such as
   * `languageGroup` would match the case-folded forms of a short alias like "Lan").
   */
  leaked(text: string): string[] {
    return CANARY_PEOPLE.flatMap((p) => [p.given, p.family, p.alias]).filter(
      (value) => text.includes(value) || text.includes(encodeURIComponent(value)),
    );
  }

  /** A header value as raw bytes on the wire (UTF-8 bytes, as a raw client can send them). */
  asHeader(value: string): string {
    return Buffer.from(value, 'utf8').toString('latin1');
  }

  async newPerson(
    browser: TestBrowser,
    identity: Record<string, string>,
  ): Promise<{ id: string; code: string; version: number }> {
    const res = await browser.send('post', '/api/persons', { identity });
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string; version: number };
  }
}

/** Registers the world's set-up and take-down around the calling `describe`. */
export function useSideDoorsWorld(): SideDoorsWorld {
  const world = new SideDoorsWorld();
  beforeAll(() => world.setUp(), 120_000);
  afterAll(() => world.tearDown());
  return world;
}
