import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiProcess } from './api-process';
import { waitFor } from './fault-checks';
import { FaultHarbour } from './fault-harbour';
import { FaultClient, type FaultResponse } from './http-client';

/** Whether this machine lets us mount a tmpfs (root with CAP_SYS_ADMIN); the reason if not. */
function tmpfsProbe(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'harbour-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    return stderr !== undefined && stderr !== '' ? stderr : String(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cannotMount = tmpfsProbe();
if (cannotMount !== null) {
  process.stdout.write(
    `faults: SKIPPED the disk-full case: mounting a tmpfs is not permitted here (${cannotMount})\n`,
  );
}
const TMPFS_MB = 160;

/**
 * PostgreSQL's data folder on a small tmpfs, filled up: creates answer 503 (never 500), nothing
 * acknowledged is lost, and once space is freed the API serves again without a restart of its
 * own.
 */
describe('faults: the database disk fills up', () => {
  let mountPoint: string;
  let harbour: FaultHarbour | undefined;
  let api: ApiProcess;
  let client: FaultClient;

  afterAll(async () => {
    client?.close();
    await harbour?.destroy();
    if (mountPoint !== undefined) {
      // Lazy: the killed server's last processes may still hold files there for a moment.
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  (cannotMount === null ? it : it.skip)(
    'answers 503 while full, loses nothing acknowledged, recovers once space is freed',
    async () => {
      mountPoint = mkdtempSync(join(tmpdir(), 'harbour-faults-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', mountPoint]);
      harbour = await FaultHarbour.create(join(mountPoint, 'data'));
      api = await harbour.startApi();
      client = new FaultClient(api.url);
      await client.signIn(harbour.login('caseworker', 'Harbour Demo Outreach'));
      const person = await client.send('POST', '/api/persons', {});
      const personId = person.body!['id'] as string;
      const acknowledged = new Set<string>();
      const create = async (): Promise<FaultResponse> => {
        const res = await client.send(
          'POST',
          '/api/contacts',
          {
            personId,
            occurredOn: '2026-01-15',
            channel: 'drop_in',
            locationType: 'drop_in_centre',
            notes: 'Disk-full note. '.repeat(40),
            needs: [{ category: 'housing' }],
          },
          { 'Idempotency-Key': randomUUID() },
        );
        if (res.status === 201) acknowledged.add(res.body!['id'] as string);
        return res;
      };
      for (let i = 0; i < 20; i++) expect((await create()).status).toBe(201);

      // Fill the tmpfs to the last byte.
      const filler = join(mountPoint, 'filler');
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(1024 * 1024, 1);
      let filledMb = 0;
      try {
        for (;;) {
          writeSync(fd, block);
          filledMb++;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }

      // Write until the database refuses; every answer is 201 or the retryable 503.
      const statuses: Record<string, number> = {};
      let refused = 0;
      for (let i = 0; i < 400 && refused < 10; i++) {
        const res = await create();
        const code = res.body?.['code'];
        const kind = `${res.status} ${typeof code === 'string' ? code : (res.error ?? '')}`.trim();
        statuses[kind] = (statuses[kind] ?? 0) + 1;
        if (res.status !== 201) refused++;
      }
      const ready = await client.send('GET', '/health/ready');

      rmSync(filler);
      const freed = Date.now();
      const restartedDatabase = harbour.postgres.pid === null;
      // PostgreSQL stops when it cannot write its WAL; an operator (or its supervisor) starts it.
      if (restartedDatabase) await harbour.postgres.start();
      const servedAfter = await waitFor(async () => {
        const res = await create();
        return res.status === 201 ? Date.now() - freed : null;
      }, 60_000);

      const rows = await harbour.postgres.query<{ id: string; has_event: boolean }>(
        `SELECT c.id::text AS id,
                EXISTS (SELECT 1 FROM access_event e
                         WHERE e.organisation_id = c.organisation_id
                           AND e.action = 'contact.created' AND e.outcome = 'success'
                           AND e.resource_ids @> ARRAY[c.id::text]) AS has_event
           FROM contact c WHERE c.person_id = $1`,
        [personId],
      );
      const stored = new Set(rows.map((r) => r.id));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      const audit = await harbour.verifyAudit();
      process.stdout.write(
        `faults: disk full (tmpfs ${TMPFS_MB} MB, filler ${filledMb} MB): answers while full ` +
          `${JSON.stringify(statuses)}, /health/ready ${ready.status}; database ` +
          `${restartedDatabase ? 'had stopped and was started again' : 'kept running'}; ` +
          `serving again ${servedAfter} ms after space was freed; acknowledged ${acknowledged.size}, ` +
          `stored ${rows.length}, lost ${lost.length}, without access event ` +
          `${rows.filter((r) => !r.has_event).length}; verify-audit exit ${String(audit.code)}\n`,
      );
      expect(refused).toBeGreaterThan(0);
      expect(Object.keys(statuses).every((k) => /^(201|503 service_unavailable)$/.test(k))).toBe(
        true,
      );
      expect(lost).toEqual([]);
      expect(rows.filter((r) => !r.has_event)).toEqual([]);
      expect(servedAfter).toBeLessThanOrEqual(60_000);
      expect(audit.code).toBe(0);
    },
  );
});
