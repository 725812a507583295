import { spawn, type ChildProcess } from 'node:child_process';
import { serverCpu } from './process-cpu';

const onLinux = process.platform === 'linux';

describe('serverCpu', () => {
  let parent: ChildProcess | undefined;

  afterEach(() => {
    // The whole group: the waiting shell and its busy child.
    if (parent?.pid !== undefined) {
      try {
        process.kill(-parent.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('is null without a postmaster, or for one that is not alive', () => {
    expect(serverCpu(null)).toBeNull();
    expect(serverCpu(999_999_999)).toBeNull();
  });

  (onLinux ? it : it.skip)(
    "counts the CPU of the named process's children, not only its own",
    async () => {
      // A "postmaster" that only waits, with a child that spins: all the CPU is the child's.
      parent = spawn('bash', ['-c', '(while :; do :; done) & wait'], {
        detached: true,
        stdio: 'ignore',
      });
      await new Promise((r) => setTimeout(r, 100));
      const meter = serverCpu(parent.pid ?? null);
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
