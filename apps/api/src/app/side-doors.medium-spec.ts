import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import { REVEAL_PURPOSES } from '@harbour/domain';
import { HARBOUR_CRYPTO } from '../infra/crypto/crypto.module';
import { NONCE_PLACEHOLDER } from '../infra/http/console.middleware';
import { Db } from '../infra/database/transaction';
import { CANARY_PEOPLE, findCanaries } from '../test/canaries';
import { AuthHarness, type TestBrowser, type TestUser } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';
import { AccessLog } from './audit/access-log.service';
import { IDEMPOTENCY_TTL_MS } from '../core/idempotency/idempotency.interceptor';
import { KeyringService, ORGANISATION_DATA_KEY_ID } from '../core/keyring/keyring.service';

/**
 * docs/security.md T28, no identity through side channels, attacked the way an insider or someone
 * holding a dump would: names typed where free text was once accepted (a reveal's purpose, its
 * detail), sent as client-chosen ids (`Idempotency-Key`, `X-Correlation-Id`) or pasted into a
 * URL; a dictionary attack on stored request fingerprints; retry state outliving its use or the
 * person; and words about a person readable after the person is erased.
 */
describe('no identity through side doors (T28)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let cw: TestBrowser;
  let coordinator: TestUser;
  let coord: TestBrowser;
  let auditorUser: TestUser;
  let auditor: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Side Doors Outreach');
    otherOrg = await h.createOrganisation('Other Side Doors Outreach');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    auditorUser = await h.createUser(org, { roles: ['auditor'] });
    auditor = await h.signIn(auditorUser);
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const crypto = (): HarbourCrypto => harbour.app.get<HarbourCrypto>(HARBOUR_CRYPTO);

  /** Every row of every table as text (what a dump holds in plaintext). */
  async function tableText(): Promise<string> {
    const tables = await db.asSuperuser<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    let text = '';
    for (const { name } of tables) {
      const [row] = await db.asSuperuser<{ text: string | null }>(
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
  function leaked(text: string): string[] {
    return CANARY_PEOPLE.flatMap((p) => [p.given, p.family, p.alias]).filter(
      (value) => text.includes(value) || text.includes(encodeURIComponent(value)),
    );
  }

  /** A header value as raw bytes on the wire (UTF-8 bytes, as a raw client can send them). */
  const asHeader = (value: string): string => Buffer.from(value, 'utf8').toString('latin1');

  async function newPerson(browser: TestBrowser, identity: Record<string, string>) {
    const res = await browser.send('post', '/api/persons', { identity });
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string; version: number };
  }

  describe('reveal purposes', () => {
    it('requires a purpose from the closed list: free text (a name) is 400 and writes nothing', async () => {
      const person = await newPerson(cw, { givenName: 'Quokka', familyName: 'Zzcanary' });
      const before = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM reveal_detail`,
      );
      for (const purpose of [
        undefined,
        '',
        'Booking a clinic appointment in the name of Quokka Zzcanary',
        'Somchai Jaidee',
        'REFERRAL',
        ' referral',
        42,
        ['referral'],
      ]) {
        const res = await cw.send('post', `/api/persons/${person.id}/reveal`, {
          ...(purpose === undefined ? {} : { purpose }),
        });
        expect({ purpose, status: res.status, code: res.body.code }).toEqual({
          purpose,
          status: 400,
          code: 'validation_failed',
        });
        expect(res.body['fields']).toContainEqual(expect.objectContaining({ path: 'purpose' }));
        expect(leaked(res.text)).toEqual([]);
        expect(res.body['identity']).toBeUndefined();
      }
      expect(
        await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM reveal_detail`),
      ).toEqual(before);
      // Nothing but categories (or nothing) in the purposes of the log.
      const purposes = await db.asSuperuser<{ purpose: string }>(
        `SELECT DISTINCT purpose FROM access_event WHERE purpose IS NOT NULL`,
      );
      for (const { purpose } of purposes) expect(REVEAL_PURPOSES).toContain(purpose);
    });

    it('records each category in the access log, and nothing else', async () => {
      const person = await newPerson(cw, { givenName: 'José', familyName: "Núñez-O'Brien" });
      for (const purpose of REVEAL_PURPOSES) {
        const requestId = randomUUID();
        const res = await cw.send(
          'post',
          `/api/persons/${person.id}/reveal`,
          { purpose },
          { headers: { 'X-Correlation-Id': requestId } },
        );
        expect(res.status).toBe(200);
        const [event] = await db.asSuperuser<{ purpose: string; event: Buffer }>(
          `SELECT purpose, event FROM access_event WHERE request_id = $1`,
          [requestId],
        );
        expect(event!.purpose).toBe(purpose);
        expect(JSON.parse(event!.event.toString('utf8'))['purpose']).toBe(purpose);
      }
    });

    it('keeps the detail encrypted under the person’s key, tied to the event, never shown to auditors', async () => {
      const canary = CANARY_PEOPLE[0]!;
      const person = await newPerson(cw, { givenName: canary.given, familyName: canary.family });
      const requestId = randomUUID();
      const res = await cw.send(
        'post',
        `/api/persons/${person.id}/reveal`,
        { purpose: 'appointment', detail: `Clinic booking for ${canary.given} ${canary.family}` },
        { headers: { 'X-Correlation-Id': requestId } },
      );
      expect(res.status).toBe(200);
      const [row] = await db.asSuperuser<{
        id: string;
        purpose: string;
        detail: Buffer;
        person_id: string;
        request_id: string;
      }>(
        `SELECT id, purpose, detail, person_id, request_id FROM reveal_detail WHERE request_id = $1`,
        [requestId],
      );
      expect(row).toMatchObject({ purpose: 'appointment', person_id: person.id });
      const keyId = crypto().keyIdOf(new Uint8Array(row!.detail));
      const [key] = await db.asSuperuser<{ purpose: string; subject_id: string }>(
        `SELECT purpose, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
        [org, keyId],
      );
      expect(key).toEqual({ purpose: 'person_data', subject_id: person.id });
      // It decrypts under that key (so it is the words given), bound to its row.
      const text = await harbour.app.get(Db).transaction(org, async (tx) => {
        const personKey = await harbour.app
          .get(KeyringService)
          .personKey(tx, org, keyId, person.id);
        return crypto()
          .decryptText(
            personKey,
            { organisationId: org, table: 'reveal_detail', column: 'detail', rowId: row!.id },
            new Uint8Array(row!.detail),
          )
          .reveal();
      });
      expect(text).toBe(`Clinic booking for ${canary.given} ${canary.family}`);
      const events = await auditor.send(
        'get',
        `/api/audit/events?action=person.identity_revealed&resource=${person.code}`,
      );
      expect(events.status).toBe(200);
      const views = (events.body as unknown as { events: { purpose: string }[] }).events;
      expect(views.map((e) => e.purpose)).toEqual(['appointment']);
      expect(leaked(events.text)).toEqual([]);
      await h.stepUp(auditor, auditorUser);
      const csv = await auditor.send('get', '/api/audit/export?action=person.identity_revealed');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('appointment');
      expect(leaked(csv.text)).toEqual([]);
    });

    it('shows an old free-text purpose to auditors as `unlisted`, and the log still verifies', async () => {
      const requestId = randomUUID();
      // An event written before purposes were categories: its bytes stay in the chain.
      await harbour.app.get(AccessLog).appendSeparately({
        organisationId: org,
        actorId: null,
        actorRoles: ['caseworker'],
        action: 'person.identity_revealed',
        resourceType: 'person',
        resourceIds: [],
        fields: ['givenName'],
        // Not a canary name: this one stays in the table's bytes for good, as in a real log.
        purpose: 'Booking a clinic appointment in the name of Marigold Legacyperson',
        outcome: 'success',
        requestId,
      });
      const page = await auditor.send('get', '/api/audit/events?action=person.identity_revealed');
      const legacy = (
        page.body as unknown as { events: { requestId: string; purpose: string }[] }
      ).events.find((e) => e.requestId === requestId);
      expect(legacy?.purpose).toBe('unlisted');
      expect(page.text).not.toContain('Legacyperson');
      await h.stepUp(auditor, auditorUser);
      const csv = await auditor.send('get', '/api/audit/export');
      expect(csv.status).toBe(200);
      const line = csv.text.split('\r\n').find((l) => l.includes(requestId));
      expect(line).toContain(',unlisted,');
      expect(csv.text).not.toContain('Legacyperson');
      const verified = await auditor.send('get', '/api/audit/verify');
      expect(verified.body['status']).toBe('verified');
    });
  });

  describe('client-chosen values and URLs', () => {
    it('never stores, logs or echoes a name sent as detail, Idempotency-Key, X-Correlation-Id or URL path', async () => {
      const person = await newPerson(cw, { givenName: 'Walker' });
      const logStart = harbour.rawLogs().length;
      for (const canary of CANARY_PEOPLE) {
        const name = `${canary.given} ${canary.family}`;
        const tokenLike = `${canary.given}_${canary.family}_0001`.replace(/[^A-Za-z0-9_-]/g, '_');
        // The detail of a reveal.
        expect(
          (
            await cw.send('post', `/api/persons/${person.id}/reveal`, {
              purpose: 'other',
              detail: `Asked for by ${name} (${canary.alias})`,
            })
          ).status,
        ).toBe(200);
        // An Idempotency-Key: refused unless an opaque token; kept only as a keyed MAC.
        for (const key of [name, canary.alias, tokenLike]) {
          const res = await cw.send(
            'post',
            '/api/persons',
            { ageBand: 'unknown' },
            { headers: { 'Idempotency-Key': asHeader(key) } },
          );
          if (/^[A-Za-z0-9_-]{16,64}$/.test(key)) expect(res.status).toBe(201);
          else
            expect({ key, status: res.status, fields: res.body['fields'] }).toEqual({
              key,
              status: 400,
              fields: [{ path: 'Idempotency-Key', reason: 'format' }],
            });
          expect(leaked(res.text)).toEqual([]);
        }
        // An X-Correlation-Id: replaced by a server id, never echoed.
        for (const sent of [name, tokenLike, encodeURIComponent(name)]) {
          const res = await cw.send('get', `/api/persons/${person.id}`, undefined, {
            headers: { 'X-Correlation-Id': asHeader(sent) },
          });
          expect(res.status).toBe(200);
          expect(res.headers['x-correlation-id']).toMatch(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          );
          expect(res.headers['x-correlation-id']).not.toBe(sent);
        }
        // A URL path: a name where an id goes, and a path no route has.
        for (const path of [
          `/api/persons/${encodeURIComponent(name)}`,
          `/api/persons/${encodeURIComponent(name)}/reveal`,
          `/api/${encodeURIComponent(name)}`,
          `/${encodeURIComponent(canary.alias)}`,
        ]) {
          const res = await cw.send('get', path);
          expect(res.status).toBe(404);
          expect(leaked(res.text)).toEqual([]);
        }
      }
      const log = harbour.rawLogs().slice(logStart);
      expect({ where: 'API log', found: findCanaries(log) }).toEqual({
        where: 'API log',
        found: [],
      });
      expect({ where: 'tables', found: findCanaries(await tableText()) }).toEqual({
        where: 'tables',
        found: [],
      });
      // Request lines name route templates, or a fixed placeholder for unknown paths.
      const routes = new Set(
        harbour.logs
          .filter((l) => l['msg'] === 'request')
          .map((l) => (l['req'] as { route?: string }).route),
      );
      expect(routes).toContain('/api/persons/:id');
      expect(routes).toContain('(unmatched)');
      for (const route of routes) expect(route).toMatch(/^(\/[a-z0-9/:.\-_]*|\(unmatched\))$/i);
      for (const line of harbour.logs)
        expect((line['req'] as { path?: unknown } | undefined)?.path).toBeUndefined();
    });
  });

  describe('retry state (Idempotency-Key)', () => {
    it('keeps no unkeyed hash: a dictionary attack on every stored value finds nothing', async () => {
      // The requests the attacker will guess at: names and dates of birth in a create's body.
      const bodies = CANARY_PEOPLE.map((p, i) => ({
        identity: {
          givenName: p.given,
          familyName: p.family,
          alias: p.alias,
          dateOfBirth: `1990-0${1 + (i % 9)}-1${i % 9}`,
        },
        ageBand: 'unknown',
      }));
      for (const body of bodies) {
        const res = await cw.send('post', '/api/persons', body, {
          headers: { 'Idempotency-Key': randomUUID() },
        });
        expect(res.status).toBe(201);
      }
      // The attacker's dictionary: every canary name with every plausible date, serialised the
      // way a server would; it includes each exact body sent (so SHA-256 would have matched).
      const candidates: string[] = [];
      for (const [i, p] of CANARY_PEOPLE.entries()) {
        for (let month = 1; month <= 9; month++) {
          for (let day = 10; day <= 19; day++) {
            candidates.push(
              JSON.stringify({
                identity: {
                  givenName: p.given,
                  familyName: p.family,
                  alias: p.alias,
                  dateOfBirth: `1990-0${month}-${day}`,
                },
                ageBand: 'unknown',
              }),
            );
          }
        }
        expect(candidates).toContain(JSON.stringify(bodies[i]));
      }
      const guesses = new Set(
        candidates.flatMap((text) => [
          createHash('sha256').update(text).digest('hex'),
          createHash('sha256')
            .update(JSON.stringify(JSON.parse(text)))
            .digest('hex'),
        ]),
      );
      const columns = await db.asSuperuser<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = 'idempotency_key' AND data_type = 'bytea'`,
      );
      expect(columns.map((c) => c.column_name).sort()).toEqual([
        'key_mac',
        'request_mac',
        'response',
      ]);
      let stored = 0;
      for (const { column_name } of columns) {
        const rows = await db.asSuperuser<{ value: Buffer }>(
          `SELECT ${column_name} AS value FROM idempotency_key`,
        );
        for (const row of rows) {
          stored++;
          // Whole values, and every 32-byte window of them (a hash hidden inside a longer value).
          for (let at = 0; at + 32 <= row.value.length; at++) {
            expect(guesses.has(row.value.subarray(at, at + 32).toString('hex'))).toBe(false);
          }
        }
      }
      expect(stored).toBeGreaterThanOrEqual(bodies.length * 3);
      // Nor does the table hold the keys themselves.
      const text = await db.asSuperuser<{ t: string }>(
        `SELECT t::text AS t FROM idempotency_key t`,
      );
      expect(findCanaries(text.map((r) => r.t).join('\n'))).toEqual([]);
    });

    it('replays within 24 hours, ignores and deletes a record after 24 hours', async () => {
      const user = await h.createUser(org, { roles: ['caseworker'] });
      let browser = await h.signIn(user);
      const key = randomUUID();
      const body = { ageBand: '25_34' };
      const send = () =>
        browser.send('post', '/api/persons', body, { headers: { 'Idempotency-Key': key } });
      const first = await send();
      expect(first.status).toBe(201);
      const [row] = await db.asSuperuser<{ id: string; expires_at: Date }>(
        `SELECT id, expires_at FROM idempotency_key WHERE user_id = $1`,
        [user.id],
      );
      expect(new Date(row!.expires_at).getTime() - harbour.clock.now().getTime()).toBe(
        IDEMPOTENCY_TTL_MS,
      );
      // Just inside 24 hours (a new session: sessions end long before), the answer is replayed.
      harbour.clock.advance(IDEMPOTENCY_TTL_MS - 120_000);
      browser = await h.signIn(user);
      const replay = await send();
      expect(replay.headers['idempotency-replayed']).toBe('true');
      expect(replay.body['id']).toBe(first.body['id']);
      // After 24 hours the record is ignored and deleted: the same key and body are a new create.
      harbour.clock.advance(120_000);
      browser = await h.signIn(user);
      const later = await send();
      expect(later.status).toBe(201);
      expect(later.headers['idempotency-replayed']).toBeUndefined();
      expect(later.body['id']).not.toBe(first.body['id']);
      expect(
        await db.asSuperuser(`SELECT id FROM idempotency_key WHERE id = $1`, [row!.id]),
      ).toEqual([]);
    });

    it('purges expired records of every organisation when any record is written', async () => {
      const other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
      expect(
        (
          await other.send(
            'post',
            '/api/persons',
            {},
            { headers: { 'Idempotency-Key': randomUUID() } },
          )
        ).status,
      ).toBe(201);
      const count = async (): Promise<number> =>
        (
          await db.asSuperuser<{ n: number }>(
            `SELECT count(*)::int AS n FROM idempotency_key WHERE organisation_id = $1`,
            [otherOrg],
          )
        )[0]!.n;
      expect(await count()).toBe(1);
      harbour.clock.advance(IDEMPOTENCY_TTL_MS + 1);
      cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
      const res = await cw.send(
        'post',
        '/api/persons',
        {},
        { headers: { 'Idempotency-Key': randomUUID() } },
      );
      expect(res.status).toBe(201);
      expect(await count()).toBe(0);
      const expired = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at <= $1`,
        [harbour.clock.now()],
      );
      expect(expired[0]!.n).toBe(0);
    });
  });

  describe('erasure', () => {
    it('removes the person’s retry records and leaves their override reasons and reveal details undecryptable', async () => {
      cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
      coord = await h.signIn(coordinator);
      const canary = CANARY_PEOPLE[7]!;
      const keyed = async (identity: Record<string, string>) =>
        (
          await cw.send(
            'post',
            '/api/persons',
            { identity },
            {
              headers: { 'Idempotency-Key': randomUUID() },
            },
          )
        ).body as { id: string; code: string };
      const person = await keyed({ givenName: canary.given, familyName: canary.family });
      const other = await keyed({ givenName: 'Someone', familyName: 'Else' });
      const contactFor = (personId: string) =>
        cw.send(
          'post',
          '/api/contacts',
          {
            personId,
            occurredOn: '2026-11-01',
            channel: 'phone',
            locationType: 'online_or_phone',
            needs: [{ category: 'legal' }],
          },
          { headers: { 'Idempotency-Key': randomUUID() } },
        );
      const contact = (await contactFor(person.id)).body as { needs: { id: string }[] };
      await contactFor(other.id);
      const retryRows = async (personId: string): Promise<number> =>
        (
          await db.asSuperuser<{ n: number }>(
            `SELECT count(*)::int AS n FROM idempotency_key WHERE $1::uuid = ANY (person_ids)`,
            [personId],
          )
        )[0]!.n;
      expect(await retryRows(person.id)).toBe(2); // the person created, and their contact
      expect(await retryRows(other.id)).toBe(2);

      // Two referrals overridden by a coordinator: one now (under the person's key), one as an
      // older installation wrote it (under the organisation's key).
      const partner = (
        await (
          await h.signIn(await h.createUser(org, { roles: ['admin'] }))
        ).send('post', '/api/partners', { name: 'Legal aid', serviceType: 'legal_aid' })
      ).body['id'] as string;
      coord = await h.signIn(coordinator);
      const overridden: string[] = [];
      for (let i = 0; i < 2; i++) {
        const referral = (
          await cw.send('post', '/api/referrals', {
            needId: contact.needs[0]!.id,
            partnerId: partner,
          })
        ).body as { id: string; version: number };
        const moved = await coord.send('post', `/api/referrals/${referral.id}/transitions`, {
          version: referral.version,
          to: 'consented',
          overrideReason: `${canary.given} asked us by phone from hospital`,
        });
        expect(moved.status).toBe(200);
        overridden.push(referral.id);
      }
      const reasonOf = async (id: string): Promise<Buffer> =>
        (
          await db.asSuperuser<{ r: Buffer }>(
            `SELECT override_reason AS r FROM referral WHERE id = $1`,
            [id],
          )
        )[0]!.r;
      const personKeyId = crypto().keyIdOf(new Uint8Array(await reasonOf(overridden[0]!)));
      expect(personKeyId).not.toBe(ORGANISATION_DATA_KEY_ID);
      const [keyRow] = await db.asSuperuser<{ purpose: string; subject_id: string }>(
        `SELECT purpose, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
        [org, personKeyId],
      );
      expect(keyRow).toEqual({ purpose: 'person_data', subject_id: person.id });
      const place = (id: string) => ({
        organisationId: org,
        table: 'referral',
        column: 'override_reason',
        rowId: id,
      });
      const legacy = await harbour.app
        .get(Db)
        .transaction(org, async (tx) =>
          Buffer.from(
            crypto().encryptField(
              await harbour.app.get(KeyringService).organisationDataKey(tx, org),
              place(overridden[1]!),
              `${canary.given} asked us by phone from hospital`,
            ),
          ),
        );
      await db.asSuperuser(`UPDATE referral SET override_reason = $2 WHERE id = $1`, [
        overridden[1],
        legacy,
      ]);

      const reveal = await cw.send('post', `/api/persons/${person.id}/reveal`, {
        purpose: 'safety_check',
        detail: `Checking on ${canary.given} after the raid`,
      });
      expect(reveal.status).toBe(200);

      await h.stepUp(coord, coordinator);
      const current = (await cw.send('get', `/api/persons/${person.id}`)).body as {
        version: number;
      };
      const erased = await coord.send('post', `/api/persons/${person.id}/erase`, {
        version: current.version,
      });
      expect(erased.status).toBe(200);

      expect(await retryRows(person.id)).toBe(0);
      expect(await retryRows(other.id)).toBe(2);

      // Everything written about the person is under keys that no longer exist.
      const details = await db.asSuperuser<{ id: string; detail: Buffer }>(
        `SELECT id, detail FROM reveal_detail WHERE person_id = $1`,
        [person.id],
      );
      expect(details).toHaveLength(1);
      const sealed = [
        ...overridden.map(async (id) => ({ place: place(id), value: await reasonOf(id) })),
        ...details.map((d) =>
          Promise.resolve({
            place: { organisationId: org, table: 'reveal_detail', column: 'detail', rowId: d.id },
            value: d.detail,
          }),
        ),
      ];
      for (const item of await Promise.all(sealed)) {
        const keyId = crypto().keyIdOf(new Uint8Array(item.value));
        const [row] = await db.asSuperuser<{
          status: string;
          wrapped: Buffer | null;
          subject_id: string;
        }>(
          `SELECT status, wrapped, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
          [org, keyId],
        );
        expect(row).toEqual({ status: 'destroyed', wrapped: null, subject_id: person.id });
        await harbour.app.get(Db).transaction(org, async (tx) => {
          const keyring = harbour.app.get(KeyringService);
          await expect(keyring.personKey(tx, org, keyId, person.id)).rejects.toBeInstanceOf(
            KeyError,
          );
          const organisationKey = await keyring.organisationDataKey(tx, org);
          expect(() =>
            crypto().decryptText(organisationKey, item.place, new Uint8Array(item.value)),
          ).toThrow(DecryptionError);
        });
      }
    });
  });

  // Last: a second app in this process takes over passport's global strategy, and closing it
  // leaves sign-ins of the first app without a database.
  describe('console paths', () => {
    it('logs console deep links and unknown files with a placeholder, never their path', async () => {
      const consoleDir = mkdtempSync(join(tmpdir(), 'harbour-console-'));
      writeFileSync(
        join(consoleDir, 'index.html'),
        `<!doctype html><html><body><app-root ngCspNonce="${NONCE_PLACEHOLDER}"></app-root></body></html>`,
      );
      writeFileSync(join(consoleDir, 'main-ABCD1234.js'), 'export {};');
      const withConsole = await createTestApp(db, { env: { HARBOUR_CONSOLE_DIR: consoleDir } });
      try {
        const browser = new AuthHarness(withConsole).browser();
        for (const canary of CANARY_PEOPLE) {
          const name = encodeURIComponent(`${canary.given} ${canary.family}`);
          expect((await browser.send('get', `/people/${name}`)).status).toBe(200);
          expect((await browser.send('get', `/${name}.js`)).status).toBe(404);
        }
        expect((await browser.send('get', '/main-ABCD1234.js')).status).toBe(200);
        const routes = new Set(
          withConsole.logs
            .filter((l) => l['msg'] === 'request')
            .map((l) => (l['req'] as { route?: string }).route),
        );
        expect([...routes].sort()).toEqual(['(console)', '(unmatched)']);
        expect(findCanaries(withConsole.rawLogs())).toEqual([]);
      } finally {
        await withConsole.close();
        rmSync(consoleDir, { recursive: true, force: true });
      }
    });
  });
});
