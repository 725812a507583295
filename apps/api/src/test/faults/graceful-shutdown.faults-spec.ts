import { connect } from 'node:net';
import { FaultHarbour } from './fault-harbour';
import { FaultClient } from './http-client';
import { waitFor } from './fault-checks';
import { sleep } from './postgres-process';

const IN_FLIGHT = 5;
const EXIT_BOUND_MS = 15_000;

/**
 * SIGTERM with slow requests in flight (creates held mid-transaction by a row lock): the API
 * stops accepting connections at once, lets the requests finish with 201, and exits 0.
 */
describe('faults: graceful shutdown', () => {
  let harbour: FaultHarbour;

  beforeAll(async () => {
    harbour = await FaultHarbour.create();
  });

  afterAll(async () => {
    await harbour?.destroy();
  });

  it('drains the requests in flight, refuses new connections, exits 0', async () => {
    const api = await harbour.startApi();
    const client = new FaultClient(api.url, { maxSockets: IN_FLIGHT + 1 });
    await client.signIn(harbour.login('caseworker', 'Harbour Demo Outreach'));
    const person = await client.send('POST', '/api/persons', {});
    const personId = person.body!['id'] as string;

    const holder = await harbour.postgres.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM person WHERE id = $1 FOR UPDATE', [personId]);
    const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
      client.send('POST', '/api/contacts', {
        personId,
        occurredOn: '2026-01-15',
        channel: 'drop_in',
        locationType: 'drop_in_centre',
        notes: `Slow request ${i}.`,
      }),
    );
    await waitFor(async () => {
      const [row] = await harbour.postgres.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE usename = 'harbour_app' AND wait_event_type = 'Lock'`,
      );
      return Number(row!.n) >= IN_FLIGHT ? true : null;
    }, 15_000);

    const signalled = Date.now();
    api.child.kill('SIGTERM');
    await waitFor(
      () => Promise.resolve(api.logs.some((l) => l['msg'] === 'shutting down') ? true : null),
      5000,
    );
    await sleep(200);
    const refused = await connectOutcome(api.port);
    const stillRunning = api.child.exitCode === null;
    await sleep(500); // the slow requests stay slow for a while after the signal
    await holder.query('ROLLBACK');
    await holder.end();

    const answers = await Promise.all(inFlight);
    const exit = await api.exited;
    const exitMs = Date.now() - signalled;
    const [stored] = await harbour.postgres.query<{ n: string }>(
      'SELECT count(*) AS n FROM contact WHERE person_id = $1',
      [personId],
    );
    client.close();
    process.stdout.write(
      `faults: SIGTERM with ${IN_FLIGHT} requests in flight: new connection → ${refused}, ` +
        `answers ${answers.map((a) => a.status).join(',')}, contacts stored ${stored!.n}, ` +
        `exit code ${String(exit.code)} after ${exitMs} ms (bound ${EXIT_BOUND_MS} ms)\n`,
    );
    expect(stillRunning).toBe(true);
    expect(refused).toBe('ECONNREFUSED');
    expect(answers.map((a) => a.status)).toEqual(Array(IN_FLIGHT).fill(201));
    expect(Number(stored!.n)).toBe(IN_FLIGHT);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
  });
});

/** 'connected' or the socket error code of a fresh TCP connection to the port. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
