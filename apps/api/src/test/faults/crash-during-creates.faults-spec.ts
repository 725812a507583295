import type { ApiProcess } from './api-process';
import {
  checkDurability,
  faultSeed,
  runCreates,
  seededRandom,
  type WorkloadResult,
} from './create-workload';
import { FaultHarbour } from './fault-harbour';
import { FaultClient } from './http-client';

const CREATES = 1000;
const CONCURRENCY = 64;
const KILLS = 2;
/** 1,000 creates take 10 s on an idle 2-core machine and 100 s on a busy one. */
const TEST_TIMEOUT_MS = 240_000;

/**
 * `kill -9` in the middle of 1,000 creates: of the whole PostgreSQL server, then of the API
 * process. Every acknowledged create must be in the database afterwards, none twice, each with
 * its access event, and the access log must verify (`harbour verify-audit`, a real process).
 */
describe('faults: kill -9 during 1,000 creates', () => {
  const seed = faultSeed();
  const random = seededRandom(seed);
  let harbour: FaultHarbour;
  let api: ApiProcess;
  let clients: FaultClient[];

  beforeAll(async () => {
    process.stdout.write(`faults: seed ${seed} (HARBOUR_FAULTS_SEED=${seed} repeats this run)\n`);
    harbour = await FaultHarbour.create();
    api = await harbour.startApi();
    clients = [];
    for (const role of ['caseworker', 'coordinator']) {
      const client = new FaultClient(api.url, { maxSockets: CONCURRENCY });
      await client.signIn(harbour.login(role, 'Harbour Demo Outreach'));
      clients.push(client);
    }
  });

  afterAll(async () => {
    for (const client of clients ?? []) client.close();
    await harbour?.destroy();
  });

  async function newPerson(): Promise<string> {
    const person = await clients[0]!.send('POST', '/api/persons', {});
    expect(person.status).toBe(201);
    return person.body!['id'] as string;
  }

  /** Kill points: one random acknowledgement count in each of `KILLS` equal slices of the run. */
  function killPoints(): number[] {
    const slice = CREATES / (KILLS + 1);
    const points: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const point = Math.floor(slice * (k + 0.5) + random() * slice);
      points.push(Math.max(point, (points[k - 1] ?? 0) + 1)); // strictly increasing
    }
    return points;
  }

  async function expectNothingLost(personId: string, result: WorkloadResult, label: string) {
    const check = await checkDurability(harbour.postgres, personId, result);
    const audit = await harbour.verifyAudit();
    process.stdout.write(
      `faults: ${label}: ${result.total} creates in ${result.ms} ms, ${result.acknowledged.size} acknowledged ` +
        `(${result.replayed} by replaying an earlier commit); failed attempts retried: ` +
        `${JSON.stringify(result.failedAttempts)}; stored ${check.stored}, lost ${check.lost.length}, ` +
        `duplicated or unacknowledged ${check.unacknowledged.length}, without access event ` +
        `${check.withoutEvent.length}; verify-audit exit ${String(audit.code)}\n`,
    );
    if (result.unexpected.length > 0) {
      const errors = api.logs.filter((l) =>
        ['unhandled error', 'unexpected HTTP exception'].includes(String(l['msg'])),
      );
      process.stdout.write(`faults: API errors: ${JSON.stringify(errors.slice(-6))}\n`);
    }
    expect(result.unexpected).toEqual([]);
    expect(result.acknowledged.size).toBe(CREATES);
    expect(check.lost).toEqual([]);
    expect(check.unacknowledged).toEqual([]);
    expect(check.withoutEvent).toEqual([]);
    expect(check.stored).toBe(CREATES);
    expect(audit.output).toMatch(/verified \d+ events/);
    expect(audit.code).toBe(0);
  }

  /**
   * One run of `CREATES` creates with `fault` injected at each kill point; `killed` names the
   * process in the printed kill points, `label` the run in the printed figures.
   */
  async function crashDuringCreates(killed: string, label: string, fault: () => Promise<void>) {
    const personId = await newPerson();
    const points = killPoints();
    const kills: string[] = [];
    let faults: Promise<void> = Promise.resolve();
    const result = await runCreates({
      clients,
      personId,
      total: CREATES,
      concurrency: CONCURRENCY,
      deadlineMs: 180_000,
      onAck: (acked, inFlight) => {
        if (acked !== points[kills.length]) return;
        kills.push(`after ${acked} acknowledged, ${inFlight} in flight`);
        faults = faults.then(fault);
      },
    });
    await faults;
    process.stdout.write(`faults: ${killed} killed ${kills.join('; ')}\n`);
    expect(kills).toHaveLength(KILLS);
    await expectNothingLost(personId, result, label);
  }

  it(
    'of PostgreSQL (the whole process group), restarted at once',
    () =>
      crashDuringCreates('PostgreSQL', 'kill -9 of PostgreSQL', async () => {
        await harbour.postgres.kill9();
        await harbour.postgres.start(); // crash recovery, then accepting again
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    'of the API process, restarted on the same port',
    () =>
      crashDuringCreates('API', 'kill -9 of the API', async () => {
        await api.kill9();
        api = await harbour.startApi({ port: api.port });
      }),
    TEST_TIMEOUT_MS,
  );
});
