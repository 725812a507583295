import { readFileSync } from 'node:fs';
import type { EmbeddedPostgres } from '../../infra/database/embedded-postgres';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE, canaryForms, scanFilesForCanaries } from '../../test/canaries';
import { CLUSTER_ENV, startTestCluster } from '../../test/medium/cluster';
import { removeTestClusterFolder } from '../../test/medium/global-teardown';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * docs/security.md T13 on a server of its own (so no other test's data is in its files): every
 * canary name written through the API — create, update, lookup, reveal, contact notes, contact
 * amendments, bulk intake, and error paths where another field is invalid — must not appear, in any form the
 * fixture lists, in a plain-text dump of every table, in the server's files (data directory,
 * WAL), in the PostgreSQL log, or in the API's logs.
 *
 * Raw files are binary, and random ciphertext matches any given 1–5 byte pattern by chance
 * somewhere in a few megabytes: there, only forms of 6 bytes or more are searched (every
 * canary name has such forms except the one-character Han and Hangul names, which the text
 * dump and the logs do cover).
 */
describe('canary names at rest (T13)', () => {
  let server: EmbeddedPostgres;
  let db: TestDatabase;
  let harbour: TestApp;
  let cw: TestBrowser;
  const previousCluster = process.env[CLUSTER_ENV];

  beforeAll(async () => {
    const cluster = await startTestCluster();
    server = cluster.server;
    process.env[CLUSTER_ENV] = JSON.stringify(cluster.info);
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Canary Test Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['coordinator'] }));
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
    await server.destroy();
    removeTestClusterFolder(server);
    if (previousCluster === undefined) delete process.env[CLUSTER_ENV];
    else process.env[CLUSTER_ENV] = previousCluster;
  });

  it('leaves no canary name in the tables, the server files and WAL, the server log or the API log', async () => {
    const people = CANARY_PEOPLE.map((p) => ({ given: p.given, family: p.family, alias: p.alias }));
    for (const [i, person] of people.entries()) {
      const identity = {
        givenName: person.given,
        familyName: person.family,
        dateOfBirth: '1991-07-0' + String(1 + (i % 9)),
        sex: 'female',
      };
      // Error path first: the same names with another field invalid.
      const refused = await cw.send('post', '/api/persons', { identity, ageBand: 'nope' });
      expect(refused.status).toBe(400);
      const created = await cw.send('post', '/api/persons', { identity });
      expect(created.status).toBe(201);
      const id = created.body['id'] as string;
      const updated = await cw.send('patch', `/api/persons/${id}`, {
        version: 1,
        identity: { alias: person.alias },
      });
      expect(updated.status).toBe(200);
      expect(
        (await cw.send('post', '/api/persons/lookup', { name: `${person.family} ${person.given}` }))
          .status,
      ).toBe(200);
      expect(
        (
          await cw.send('post', `/api/persons/${id}/reveal`, {
            purpose: 'other',
            detail: `Asked for by ${person.given} ${person.family} (${person.alias})`,
          })
        ).status,
      ).toBe(200);
      const contact = await cw.send('post', '/api/contacts', {
        personId: id,
        occurredOn: '2026-11-01',
        channel: 'in_person',
        locationType: 'drop_in_centre',
        notes: `Spoke with ${person.given} ${person.family} (${person.alias}).`,
      });
      expect(contact.status).toBe(201);
      // A correction of the contact: its reason and corrected notes name the person too, and
      // the same words first on an error path (corrected notes over the limit).
      const amend = (notes: string) =>
        cw.send('post', `/api/contacts/${contact.body['id'] as string}/amendments`, {
          reason: `${person.given} ${person.family} (${person.alias}) asked for it`,
          notes,
        });
      const corrected = `Corrected: met ${person.given} ${person.family} at the drop-in.`;
      expect((await amend(corrected.padEnd(4_001, '.'))).status).toBe(400);
      expect((await amend(corrected)).status).toBe(201);
    }
    const intake = (valid: boolean) =>
      cw.send('post', '/api/intake/bulk', {
        event: { occurredOn: '2026-11-02', channel: 'outreach_visit', locationType: 'street' },
        people: people.map((p, i) => ({
          identity: { givenName: p.given, familyName: p.family, alias: p.alias },
          notes: `${p.alias} at the raid`,
          ...(!valid && i === people.length - 1 ? { ageBand: 'bad' } : {}),
        })),
      });
    expect((await intake(false)).status).toBe(400);
    expect((await intake(true)).status).toBe(201);

    // Everything on disk: checkpoint, then start a new WAL segment.
    await db.asSuperuser('CHECKPOINT');
    await db.asSuperuser('SELECT pg_switch_wal()');

    const tables = await db.asSuperuser<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    let dump = '';
    for (const { name } of tables) {
      const [row] = await db.asSuperuser<{ text: string | null }>(
        `SELECT string_agg(t::text, E'\\n') AS text FROM ${name} t`,
      );
      dump += `${row?.text ?? ''}\n`;
    }
    expect(dump.length).toBeGreaterThan(10_000);

    const values = people.flatMap((p) => [p.given, p.family, p.alias]);
    const found = (haystack: Buffer, minBytes: number): string[] =>
      values.filter((value) =>
        canaryForms(value).some((form) => form.length >= minBytes && haystack.includes(form)),
      );
    expect({ where: 'table dump', found: found(Buffer.from(dump, 'utf8'), 1) }).toEqual({
      where: 'table dump',
      found: [],
    });
    expect({ where: 'API log', found: found(Buffer.from(harbour.rawLogs(), 'utf8'), 1) }).toEqual({
      where: 'API log',
      found: [],
    });
    const { files, findings } = scanFilesForCanaries(server.dataDir, values, { minBytes: 6 });
    expect({ where: 'server files', findings }).toEqual({ where: 'server files', findings: [] });
    expect(files).toBeGreaterThan(100);
    expect({ where: 'server log', found: found(readFileSync(server.logFile), 1) }).toEqual({
      where: 'server log',
      found: [],
    });
  }, 180_000);
});
