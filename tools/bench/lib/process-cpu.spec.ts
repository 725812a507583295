import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverCpu } from './process-cpu';

const onLinux = process.platform === 'linux';

describe('serverCpu', () => {
  let dir: string;
  let parent: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-cpu-'));
  });

  afterEach(() => {
    // The whole group: the waiting shell and its busy child.
    if (parent?.pid !== undefined) {
      try {
        process.kill(-parent.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('is null without a postmaster.pid, or when it names no live process', () => {
    expect(serverCpu(dir)).toBeNull();
    writeFileSync(join(dir, 'postmaster.pid'), '999999999\n/some/dir\n');
    expect(serverCpu(dir)).toBeNull();
  });

  (onLinux ? it : it.skip)(
    "counts the CPU of the named process's children, not only its own",
    async () => {
      // A "postmaster" that only waits, with a child that spins: all the CPU is the child's.
      parent = spawn('bash', ['-c', '(while :; do :; done) & wait'], {
        detached: true,
        stdio: 'ignore',
      });
      writeFileSync(join(dir, 'postmaster.pid'), `${parent.pid}\n${dir}\n`);
      await new Promise((r) => setTimeout(r, 100));
      const meter = serverCpu(dir);
      expect(meter).not.toBeNull();
      const first = meter!.seconds();
      let later = first;
      const deadline = Date.now() + 10_000;
      while (later - first < 0.05 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        later = meter!.seconds();
      }
      expect(later - first).toBeGreaterThanOrEqual(0.05);
    },
    15_000,
  );
});
