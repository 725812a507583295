import { randomUUID } from 'node:crypto';
import type { ApiProcess } from './api-process';
import { FaultHarbour } from './fault-harbour';
import { expectGeneric503, waitFor } from './fault-checks';
import { FaultClient } from './http-client';

/**
 * The database goes away under a running API: a backend terminated mid-transaction
 * (`pg_terminate_backend`), then the whole server killed. The API answers a retryable 503 with
 * a generic body, never a 500 or a stack, and recovers on its own once the database is back.
 */
describe('faults: the database goes away', () => {
  let harbour: FaultHarbour;
  let api: ApiProcess;
  let client: FaultClient;
  let personId: string;

  const contact = () => ({
    personId,
    occurredOn: '2026-01-15',
    channel: 'drop_in',
    locationType: 'drop_in_centre',
    notes: 'Fault test note.',
    needs: [{ category: 'legal' }],
  });

  beforeAll(async () => {
    harbour = await FaultHarbour.create();
    api = await harbour.startApi();
    client = new FaultClient(api.url);
    await client.signIn(harbour.login('caseworker', 'Harbour Demo Outreach'));
    const person = await client.send('POST', '/api/persons', {});
    expect(person.status).toBe(201);
    personId = person.body!['id'] as string;
  });

  afterAll(async () => {
    client?.close();
    await harbour?.destroy();
  });

  it('pg_terminate_backend mid-transaction: 503 with Retry-After; the same Idempotency-Key then applies once', async () => {
    // Hold the person's row: the create's foreign-key check waits on it, inside its transaction.
    const holder = await harbour.postgres.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM person WHERE id = $1 FOR UPDATE', [personId]);
    const key = randomUUID();
    const pending = client.send('POST', '/api/contacts', contact(), { 'Idempotency-Key': key });
    const blocked = await waitFor(async () => {
      const rows = await harbour.postgres.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE usename = 'harbour_app' AND wait_event_type = 'Lock' AND state = 'active'`,
      );
      return rows.length > 0 ? rows[0]!.pid : null;
    }, 15_000);
    await harbour.postgres.query('SELECT pg_terminate_backend($1)', [blocked]);
    const first = await pending;
    await holder.query('ROLLBACK');
    await holder.end();

    expectGeneric503(first);
    expect(first.headers['retry-after']).toMatch(/^\d+$/);

    const retried = await client.send('POST', '/api/contacts', contact(), {
      'Idempotency-Key': key,
    });
    expect(retried.status).toBe(201);
    const again = await client.send('POST', '/api/contacts', contact(), {
      'Idempotency-Key': key,
    });
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body!['id']).toBe(retried.body!['id']);
    const [count] = await harbour.postgres.query<{ n: string }>(
      'SELECT count(*) AS n FROM contact WHERE person_id = $1',
      [personId],
    );
    process.stdout.write(
      `faults: terminated backend ${blocked}: first answer ${first.status} ` +
        `${String(first.body?.['code'])} (Retry-After ${String(first.headers['retry-after'])}); ` +
        `retry ${retried.status}, replay ${again.status}; contacts written: ${count!.n}\n`,
    );
    expect(Number(count!.n)).toBe(1);
  });

  it('database down: /health/ready and the API answer 503 with a generic body; back within 60 s', async () => {
    await harbour.postgres.kill9();
    const ready = await client.send('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'unavailable',
      checks: { database: 'unavailable' },
    });
    const read = await client.send('GET', `/api/persons/${personId}`);
    expectGeneric503(read);
    const write = await client.send('POST', '/api/contacts', contact());
    expectGeneric503(write);

    const restarted = Date.now();
    await harbour.postgres.start();
    const databaseUp = Date.now() - restarted;
    const readyAt = await waitFor(async () => {
      const res = await client.send('GET', '/health/ready');
      return res.status === 200 ? Date.now() - restarted : null;
    }, 60_000);
    const servedAt = await waitFor(async () => {
      const res = await client.send('GET', `/api/persons/${personId}`);
      return res.status === 200 ? Date.now() - restarted : null;
    }, 60_000);
    const created = await client.send('POST', '/api/contacts', contact());
    expect(created.status).toBe(201);
    process.stdout.write(
      `faults: database down → ready ${ready.status}, read ${read.status} ${String(read.body?.['code'])}, ` +
        `write ${write.status}; after restart (server up in ${databaseUp} ms) ready again in ${readyAt} ms, ` +
        `requests served in ${servedAt} ms (bound 60000 ms)\n`,
    );
    expect(servedAt).toBeLessThanOrEqual(60_000);
  });
});
