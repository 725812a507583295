import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CodeProvenance {
  /** HEAD when the benchmark ran, or null outside a git checkout. */
  readonly gitCommit: string | null;
  /** Whether the measured directory differed from HEAD (uncommitted or untracked files). */
  readonly uncommittedChanges: boolean | null;
  /** The directory whose sources were measured, relative to the repository root. */
  readonly directory: string;
  /** SHA-256 over the paths and contents of its non-test `.ts` files: ties figures to code. */
  readonly sourceSha256: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return name.endsWith('.ts') && !/\.(spec|medium-spec)\.ts$/.test(name) ? [path] : [];
    })
    .sort();
}

function git(root: string, args: string[]): string | null {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

export function codeProvenance(root: string, directory: string): CodeProvenance {
  const hash = createHash('sha256');
  for (const file of sourceFiles(join(root, directory))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const status = git(root, ['status', '--porcelain', '--', directory]);
  return {
    gitCommit: git(root, ['rev-parse', 'HEAD']),
    uncommittedChanges: status === null ? null : status.length > 0,
    directory,
    sourceSha256: hash.digest('hex'),
  };
}
