import { createHash, randomUUID } from 'node:crypto';
import { DecryptionError, KeyError } from '@harbour/crypto';
import { Db } from '../infra/database/transaction';
import { CANARY_PEOPLE, findCanaries } from '../test/canaries';
import { useSideDoorsWorld } from '../test/medium/side-doors-world';
import { IDEMPOTENCY_TTL_MS } from '../core/idempotency/idempotency.interceptor';
import { KeyringService, ORGANISATION_DATA_KEY_ID } from '../core/keyring/keyring.service';

/**
 * docs/security.md T28 for what outlives a request: a dictionary attack on stored request
 * fingerprints, retry state outliving its use or the person, and words about a person readable
 * after the person is erased. Names sent through client-chosen values are attacked in
 * `side-doors.medium-spec.ts`.
 */
describe('no identity through side doors: retry state and erasure (T28)', () => {
  const s = useSideDoorsWorld();

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
        const res = await s.cw.send('post', '/api/persons', body, {
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
      const columns = await s.db.asSuperuser<{ column_name: string }>(
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
        const rows = await s.db.asSuperuser<{ value: Buffer }>(
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
      const text = await s.db.asSuperuser<{ t: string }>(
        `SELECT t::text AS t FROM idempotency_key t`,
      );
      expect(findCanaries(text.map((r) => r.t).join('\n'))).toEqual([]);
    });

    it('replays within 24 hours, ignores and deletes a record after 24 hours', async () => {
      const user = await s.h.createUser(s.org, { roles: ['caseworker'] });
      let browser = await s.h.signIn(user);
      const key = randomUUID();
      const body = { ageBand: '25_34' };
      const send = () =>
        browser.send('post', '/api/persons', body, { headers: { 'Idempotency-Key': key } });
      const first = await send();
      expect(first.status).toBe(201);
      const [row] = await s.db.asSuperuser<{ id: string; expires_at: Date }>(
        `SELECT id, expires_at FROM idempotency_key WHERE user_id = $1`,
        [user.id],
      );
      expect(new Date(row!.expires_at).getTime() - s.harbour.clock.now().getTime()).toBe(
        IDEMPOTENCY_TTL_MS,
      );
      // Just inside 24 hours (a new session: sessions end long before), the answer is replayed.
      s.harbour.clock.advance(IDEMPOTENCY_TTL_MS - 120_000);
      browser = await s.h.signIn(user);
      const replay = await send();
      expect(replay.headers['idempotency-replayed']).toBe('true');
      expect(replay.body['id']).toBe(first.body['id']);
      // After 24 hours the record is ignored and deleted: the same key and body are a new create.
      s.harbour.clock.advance(120_000);
      browser = await s.h.signIn(user);
      const later = await send();
      expect(later.status).toBe(201);
      expect(later.headers['idempotency-replayed']).toBeUndefined();
      expect(later.body['id']).not.toBe(first.body['id']);
      expect(
        await s.db.asSuperuser(`SELECT id FROM idempotency_key WHERE id = $1`, [row!.id]),
      ).toEqual([]);
    });

    it('purges expired records of every organisation when any record is written', async () => {
      const other = await s.h.signIn(await s.h.createUser(s.otherOrg, { roles: ['caseworker'] }));
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
          await s.db.asSuperuser<{ n: number }>(
            `SELECT count(*)::int AS n FROM idempotency_key WHERE organisation_id = $1`,
            [s.otherOrg],
          )
        )[0]!.n;
      expect(await count()).toBe(1);
      s.harbour.clock.advance(IDEMPOTENCY_TTL_MS + 1);
      s.cw = await s.h.signIn(await s.h.createUser(s.org, { roles: ['caseworker'] }));
      const res = await s.cw.send(
        'post',
        '/api/persons',
        {},
        { headers: { 'Idempotency-Key': randomUUID() } },
      );
      expect(res.status).toBe(201);
      expect(await count()).toBe(0);
      const expired = await s.db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at <= $1`,
        [s.harbour.clock.now()],
      );
      expect(expired[0]!.n).toBe(0);
    });
  });

  describe('erasure', () => {
    it('removes the person’s retry records and leaves their override reasons and reveal details undecryptable', async () => {
      s.cw = await s.h.signIn(await s.h.createUser(s.org, { roles: ['caseworker'] }));
      s.coord = await s.h.signIn(s.coordinator);
      const canary = CANARY_PEOPLE[7]!;
      const keyed = async (identity: Record<string, string>) =>
        (
          await s.cw.send(
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
        s.cw.send(
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
          await s.db.asSuperuser<{ n: number }>(
            `SELECT count(*)::int AS n FROM idempotency_key WHERE $1::uuid = ANY (person_ids)`,
            [personId],
          )
        )[0]!.n;
      expect(await retryRows(person.id)).toBe(2); // the person created, and their contact
      expect(await retryRows(other.id)).toBe(2);

      // Two referrals overridden by a s.coordinator: one now (under the person's key), one as an
      // older installation wrote it (under the organisation's key).
      const partner = (
        await (
          await s.h.signIn(await s.h.createUser(s.org, { roles: ['admin'] }))
        ).send('post', '/api/partners', { name: 'Legal aid', serviceType: 'legal_aid' })
      ).body['id'] as string;
      s.coord = await s.h.signIn(s.coordinator);
      const overridden: string[] = [];
      for (let i = 0; i < 2; i++) {
        const referral = (
          await s.cw.send('post', '/api/referrals', {
            needId: contact.needs[0]!.id,
            partnerId: partner,
          })
        ).body as { id: string; version: number };
        const moved = await s.coord.send('post', `/api/referrals/${referral.id}/transitions`, {
          version: referral.version,
          to: 'consented',
          overrideReason: `${canary.given} asked us by phone from hospital`,
        });
        expect(moved.status).toBe(200);
        overridden.push(referral.id);
      }
      const reasonOf = async (id: string): Promise<Buffer> =>
        (
          await s.db.asSuperuser<{ r: Buffer }>(
            `SELECT override_reason AS r FROM referral WHERE id = $1`,
            [id],
          )
        )[0]!.r;
      const personKeyId = s.crypto().keyIdOf(new Uint8Array(await reasonOf(overridden[0]!)));
      expect(personKeyId).not.toBe(ORGANISATION_DATA_KEY_ID);
      const [keyRow] = await s.db.asSuperuser<{ purpose: string; subject_id: string }>(
        `SELECT purpose, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
        [s.org, personKeyId],
      );
      expect(keyRow).toEqual({ purpose: 'person_data', subject_id: person.id });
      const place = (id: string) => ({
        organisationId: s.org,
        table: 'referral',
        column: 'override_reason',
        rowId: id,
      });
      const legacy = await s.harbour.app
        .get(Db)
        .transaction(s.org, async (tx) =>
          Buffer.from(
            s
              .crypto()
              .encryptField(
                await s.harbour.app.get(KeyringService).organisationDataKey(tx, s.org),
                place(overridden[1]!),
                `${canary.given} asked us by phone from hospital`,
              ),
          ),
        );
      await s.db.asSuperuser(`UPDATE referral SET override_reason = $2 WHERE id = $1`, [
        overridden[1],
        legacy,
      ]);

      const reveal = await s.cw.send('post', `/api/persons/${person.id}/reveal`, {
        purpose: 'safety_check',
        detail: `Checking on ${canary.given} after the raid`,
      });
      expect(reveal.status).toBe(200);

      await s.h.stepUp(s.coord, s.coordinator);
      const current = (await s.cw.send('get', `/api/persons/${person.id}`)).body as {
        version: number;
      };
      const erased = await s.coord.send('post', `/api/persons/${person.id}/erase`, {
        version: current.version,
      });
      expect(erased.status).toBe(200);

      expect(await retryRows(person.id)).toBe(0);
      expect(await retryRows(other.id)).toBe(2);

      // Everything written about the person is under keys that no longer exist.
      const details = await s.db.asSuperuser<{ id: string; detail: Buffer }>(
        `SELECT id, detail FROM reveal_detail WHERE person_id = $1`,
        [person.id],
      );
      expect(details).toHaveLength(1);
      const sealed = [
        ...overridden.map(async (id) => ({ place: place(id), value: await reasonOf(id) })),
        ...details.map((d) =>
          Promise.resolve({
            place: { organisationId: s.org, table: 'reveal_detail', column: 'detail', rowId: d.id },
            value: d.detail,
          }),
        ),
      ];
      for (const item of await Promise.all(sealed)) {
        const keyId = s.crypto().keyIdOf(new Uint8Array(item.value));
        const [row] = await s.db.asSuperuser<{ status: string; subject_id: string }>(
          `SELECT status, subject_id FROM organisation_key WHERE organisation_id = $1 AND key_id = $2`,
          [s.org, keyId],
        );
        expect(row).toEqual({ status: 'destroyed', subject_id: person.id });
        const material = await s.db.asKeyring(
          `SELECT key_id FROM key_material WHERE organisation_id = $1 AND key_id = $2`,
          [s.org, keyId],
        );
        expect(material).toEqual([]);
        await s.harbour.app.get(Db).transaction(s.org, async (tx) => {
          const keyring = s.harbour.app.get(KeyringService);
          await expect(keyring.personKey(tx, s.org, keyId, person.id)).rejects.toBeInstanceOf(
            KeyError,
          );
          const organisationKey = await keyring.organisationDataKey(tx, s.org);
          expect(() =>
            s.crypto().decryptText(organisationKey, item.place, new Uint8Array(item.value)),
          ).toThrow(DecryptionError);
        });
      }
    });
  });
});
