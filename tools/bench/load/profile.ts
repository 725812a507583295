import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textTable } from '../lib/harness';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Runs `work` under V8's sampling CPU profiler (this process only) and returns the profile. */
export async function profiled(work: () => Promise<void>): Promise<Profile> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolvePost, reject) =>
      session.post(method, params, (error, result) =>
        error === null ? resolvePost(result) : reject(error),
      ),
    );
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    await work();
    const { profile } = (await post('Profiler.stop')) as { profile: Profile };
    return profile;
  } finally {
    session.disconnect();
  }
}

export function writeProfile(file: string, profile: Profile): void {
  writeFileSync(file, JSON.stringify(profile));
}

/** Where a frame's code lives: an npm package, a repository folder, or Node/V8 itself. */
function place(url: string, root: string): string {
  if (url === '') return '(V8/native)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return relative(root, path);
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by function (name and place), descending. */
  readonly frames: { frame: string; ms: number; pct: number }[];
  /** Self time by package or repository file, descending. */
  readonly places: { place: string; ms: number; pct: number }[];
}

/** Self time per frame and per place, from the samples. */
export function summarise(profile: Profile, root: string, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const frames = new Map<string, number>();
  const places = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += us;
    const where = place(url, root);
    const frame = `${functionName || '(anonymous)'} ${where}${url === '' ? '' : `:${lineNumber + 1}`}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    places.set(where, (places.get(where) ?? 0) + us);
  }
  const ranked = <K extends string>(m: Map<string, number>, key: K) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        [key]: name,
        ms: Math.round(us / 1000),
        pct: Math.round((us / total) * 1000) / 10,
      })) as ({ ms: number; pct: number } & Record<K, string>)[];
  return {
    totalMs: Math.round(total / 1000),
    frames: ranked(frames, 'frame'),
    places: ranked(places, 'place'),
  };
}

/**
 * Writes `profile` to `file` (it opens as a flame graph in Chrome DevTools or speedscope) and
 * prints where the time went, by place and by function (`--profile=FILE` of the benchmarks).
 */
export function reportProfile(file: string, profile: Profile, root: string, what: string): void {
  writeProfile(file, profile);
  const summary = summarise(profile, root, 30);
  process.stdout.write(
    `\nCPU profile of ${what} (${summary.totalMs} ms sampled, idle excluded; ${file})\n\n${textTable(
      ['self time by place', 'ms', '%'],
      summary.places.map((p) => [p.place, String(p.ms), String(p.pct)]),
    )}\n\n${textTable(
      ['self time by function', 'ms', '%'],
      summary.frames.map((f) => [f.frame, String(f.ms), String(f.pct)]),
    )}\n`,
  );
}
