import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REVEAL_PURPOSES } from '@harbour/domain';
import { NONCE_PLACEHOLDER } from '../infra/http/console.middleware';
import { Db } from '../infra/database/transaction';
import { CANARY_PEOPLE, findCanaries } from '../test/canaries';
import { AuthHarness } from '../test/medium/auth-harness';
import { createTestApp } from '../test/medium/test-app';
import { useSideDoorsWorld } from '../test/medium/side-doors-world';
import { AccessLog } from './audit/access-log.service';
import { KeyringService } from '../core/keyring/keyring.service';

/**
 * docs/security.md T28, no identity through side channels, attacked the way an insider or someone
 * holding a dump would: names typed where free text was once accepted (a reveal's purpose, its
 * detail), sent as client-chosen ids (`Idempotency-Key`, `X-Correlation-Id`) or pasted into a
 * URL or a console path. Retry state outliving its use or the person, and words about a person
 * readable after the person is erased, are in `side-doors-retry.medium-spec.ts`.
 */
describe('no identity through side doors (T28)', () => {
  const s = useSideDoorsWorld();

  describe('reveal purposes', () => {
    it('requires a purpose from the closed list: free text (a name) is 400 and writes nothing', async () => {
      const person = await s.newPerson(s.cw, { givenName: 'Quokka', familyName: 'Zzcanary' });
      const before = await s.db.asSuperuser<{ n: number }>(
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
        const res = await s.cw.send('post', `/api/persons/${person.id}/reveal`, {
          ...(purpose === undefined ? {} : { purpose }),
        });
        expect({ purpose, status: res.status, code: res.body.code }).toEqual({
          purpose,
          status: 400,
          code: 'validation_failed',
        });
        expect(res.body['fields']).toContainEqual(expect.objectContaining({ path: 'purpose' }));
        expect(s.leaked(res.text)).toEqual([]);
        expect(res.body['identity']).toBeUndefined();
      }
      expect(
        await s.db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM reveal_detail`),
      ).toEqual(before);
      // Nothing but categories (or nothing) in the purposes of the log.
      const purposes = await s.db.asSuperuser<{ purpose: string }>(
        `SELECT DISTINCT purpose FROM access_event WHERE purpose IS NOT NULL`,
      );
      for (const { purpose } of purposes) expect(REVEAL_PURPOSES).toContain(purpose);
    });

    it('records each category in the access log, and nothing else', async () => {
      const person = await s.newPerson(s.cw, { givenName: 'José', familyName: "Núñez-O'Brien" });
      for (const purpose of REVEAL_PURPOSES) {
        const requestId = randomUUID();
        const res = await s.cw.send(
          'post',
          `/api/persons/${person.id}/reveal`,
          { purpose },
          { headers: { 'X-Correlation-Id': requestId } },
        );
        expect(res.status).toBe(200);
        const [event] = await s.db.asSuperuser<{ purpose: string; event: Buffer }>(
          `SELECT purpose, event FROM access_event WHERE request_id = $1`,
          [requestId],
        );
        expect(event!.purpose).toBe(purpose);
        expect(JSON.parse(event!.event.toString('utf8'))['purpose']).toBe(purpose);
      }
    });

    it('keeps the detail encrypted under the person’s key, tied to the event, never shown to auditors', async () => {
      const canary = CANARY_PEOPLE[0]!;
      const person = await s.newPerson(s.cw, {
        givenName: canary.given,
        familyName: canary.family,
      });
      const requestId = randomUUID();
      const res = await s.cw.send(
        'post',
        `/api/persons/${person.id}/reveal`,
        { purpose: 'appointment', detail: `Clinic booking for ${canary.given} ${canary.family}` },
        { headers: { 'X-Correlation-Id': requestId } },
      );
      expect(res.status).toBe(200);
      const [row] = await s.db.asSuperuser<{
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
      const keyId = s.crypto().keyIdOf(new Uint8Array(row!.detail));
      const [key] = await s.db.asSuperuser<{ purpose: string; subject_id: string }>(
        `SELECT purpose, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
        [s.org, keyId],
      );
      expect(key).toEqual({ purpose: 'person_data', subject_id: person.id });
      // It decrypts under that key (so it is the words given), bound to its row.
      const text = await s.harbour.app.get(Db).transaction(s.org, async (tx) => {
        const personKey = await s.harbour.app
          .get(KeyringService)
          .personKey(tx, s.org, keyId, person.id);
        return s
          .crypto()
          .decryptText(
            personKey,
            { organisationId: s.org, table: 'reveal_detail', column: 'detail', rowId: row!.id },
            new Uint8Array(row!.detail),
          )
          .reveal();
      });
      expect(text).toBe(`Clinic booking for ${canary.given} ${canary.family}`);
      const events = await s.auditor.send(
        'get',
        `/api/audit/events?action=person.identity_revealed&resource=${person.code}`,
      );
      expect(events.status).toBe(200);
      const views = (events.body as unknown as { events: { purpose: string }[] }).events;
      expect(views.map((e) => e.purpose)).toEqual(['appointment']);
      expect(s.leaked(events.text)).toEqual([]);
      await s.h.stepUp(s.auditor, s.auditorUser);
      const csv = await s.auditor.send('get', '/api/audit/export?action=person.identity_revealed');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(',Booking or attending an appointment,');
      expect(s.leaked(csv.text)).toEqual([]);
    });

    it('shows an old free-text purpose to auditors as `unlisted`, and the log still verifies', async () => {
      const requestId = randomUUID();
      // An event written before purposes were categories: its bytes stay in the chain.
      await s.harbour.app.get(AccessLog).appendSeparately({
        organisationId: s.org,
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
      const page = await s.auditor.send('get', '/api/audit/events?action=person.identity_revealed');
      const legacy = (
        page.body as unknown as { events: { requestId: string; purpose: string }[] }
      ).events.find((e) => e.requestId === requestId);
      expect(legacy?.purpose).toBe('unlisted');
      expect(page.text).not.toContain('Legacyperson');
      await s.h.stepUp(s.auditor, s.auditorUser);
      const csv = await s.auditor.send('get', '/api/audit/export');
      expect(csv.status).toBe(200);
      const line = csv.text.split('\r\n').find((l) => l.includes(requestId));
      expect(line).toContain(',Not a listed reason (older entry),');
      expect(csv.text).not.toContain('Legacyperson');
      const verified = await s.auditor.send('get', '/api/audit/verify');
      expect(verified.body['status']).toBe('verified');
    });
  });

  describe('client-chosen values and URLs', () => {
    it('never stores, logs or echoes a name sent as detail, Idempotency-Key, X-Correlation-Id or URL path', async () => {
      const person = await s.newPerson(s.cw, { givenName: 'Walker' });
      const logStart = s.harbour.rawLogs().length;
      for (const canary of CANARY_PEOPLE) {
        const name = `${canary.given} ${canary.family}`;
        const tokenLike = `${canary.given}_${canary.family}_0001`.replace(/[^A-Za-z0-9_-]/g, '_');
        // The detail of a reveal.
        expect(
          (
            await s.cw.send('post', `/api/persons/${person.id}/reveal`, {
              purpose: 'other',
              detail: `Asked for by ${name} (${canary.alias})`,
            })
          ).status,
        ).toBe(200);
        // An Idempotency-Key: refused unless an opaque token; kept only as a keyed MAC.
        for (const key of [name, canary.alias, tokenLike]) {
          const res = await s.cw.send(
            'post',
            '/api/persons',
            { ageBand: 'unknown' },
            { headers: { 'Idempotency-Key': s.asHeader(key) } },
          );
          if (/^[A-Za-z0-9_-]{16,64}$/.test(key)) expect(res.status).toBe(201);
          else
            expect({ key, status: res.status, fields: res.body['fields'] }).toEqual({
              key,
              status: 400,
              fields: [{ path: 'Idempotency-Key', reason: 'format' }],
            });
          expect(s.leaked(res.text)).toEqual([]);
        }
        // An X-Correlation-Id: replaced by a server id, never echoed.
        for (const sent of [name, tokenLike, encodeURIComponent(name)]) {
          const res = await s.cw.send('get', `/api/persons/${person.id}`, undefined, {
            headers: { 'X-Correlation-Id': s.asHeader(sent) },
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
          const res = await s.cw.send('get', path);
          expect(res.status).toBe(404);
          expect(s.leaked(res.text)).toEqual([]);
        }
      }
      const log = s.harbour.rawLogs().slice(logStart);
      expect({ where: 'API log', found: findCanaries(log) }).toEqual({
        where: 'API log',
        found: [],
      });
      expect({ where: 'tables', found: findCanaries(await s.tableText()) }).toEqual({
        where: 'tables',
        found: [],
      });
      // Request lines name route templates, or a fixed placeholder for unknown paths.
      const routes = new Set(
        s.harbour.logs
          .filter((l) => l['msg'] === 'request')
          .map((l) => (l['req'] as { route?: string }).route),
      );
      expect(routes).toContain('/api/persons/:id');
      expect(routes).toContain('(unmatched)');
      for (const route of routes) expect(route).toMatch(/^(\/[a-z0-9/:.\-_]*|\(unmatched\))$/i);
      for (const line of s.harbour.logs)
        expect((line['req'] as { path?: unknown } | undefined)?.path).toBeUndefined();
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
      const withConsole = await createTestApp(s.db, { env: { HARBOUR_CONSOLE_DIR: consoleDir } });
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
