import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');

/**
 * The directory of package `name` as Node would resolve it from `fromDir` (walking up the
 * node_modules folders), without requiring it: some packages do not export their package.json.
 */
export function packageDir(name: string, fromDir = repoRoot): string {
  let dir = fromDir;
  for (;;) {
    const candidate = resolve(dir, 'node_modules', name);
    if (existsSync(resolve(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found from ${fromDir}`);
    dir = parent;
  }
}

/** The installed version of `name`, as resolved from `fromDir`. */
export function packageVersion(name: string, fromDir = repoRoot): string {
  const file = resolve(packageDir(name, fromDir), 'package.json');
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  return version;
}
