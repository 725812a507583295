import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the benchmark's PostgreSQL server, read from Linux's `/proc`: the postmaster (its
 * pid, as `livePostmasterPid` reads it from the data folder) and every process it started —
 * backends, WAL writer, checkpointer, autovacuum workers — with the time of those that have exited
 * (`cutime`/`cstime`, counted once the postmaster reaps them). Lets a benchmark say how much of
 * a request's wall time PostgreSQL spent on CPU, next to Node's own `process.cpuUsage`.
 */
export interface ServerCpu {
  /** CPU seconds (user and system) the server has used so far. */
  seconds(): number;
}

/** `/proc/<pid>/stat`: parent pid and CPU ticks (own and reaped children's), or null. */
function statOf(pid: number): { ppid: number; ticks: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name, in parentheses, may hold spaces: fields are counted after its `)`.
  // proc(5): state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number): number => Number(fields[field - 3]);
  return { ppid: at(4), ticks: at(14) + at(15) + at(16) + at(17) };
}

/**
 * The CPU meter of the server whose postmaster is `postmaster`, or null where it cannot be read
 * (no `/proc`, as on macOS; no postmaster, or not a live one).
 */
export function serverCpu(postmaster: number | null): ServerCpu | null {
  if (postmaster === null || statOf(postmaster) === null) return null;
  let ticksPerSecond: number;
  try {
    ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
  if (!(ticksPerSecond > 0)) return null;
  return {
    seconds: () => {
      let ticks = statOf(postmaster)?.ticks ?? 0;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = statOf(Number(entry));
        if (stat !== null && stat.ppid === postmaster) ticks += stat.ticks;
      }
      return ticks / ticksPerSecond;
    },
  };
}
