import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The common-password list of docs/security.md T2 (see `common-passwords.README.md` for where it comes
 * from). The file is read once per process, on first use; entries are lower-cased into a set.
 */

export const COMMON_PASSWORDS_FILE = 'common-passwords.txt';
/** Where the file lives in the repository, relative to its root. */
const SOURCE_PATH = join('apps', 'api', 'src', 'infra', 'auth', COMMON_PASSWORDS_FILE);

/**
 * The list's path: next to this module's code first — the source folder under Jest, or
 * `dist/apps/api/` for the webpack bundle, which `apps/api/webpack.config.js` copies it into —
 * then the source copy relative to the working directory (the repository root). Throws if
 * neither exists: running without the list would silently accept every common password.
 */
export function commonPasswordsPath(): string {
  const candidates = [join(__dirname, COMMON_PASSWORDS_FILE), resolve(process.cwd(), SOURCE_PATH)];
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(`common-password list not found; looked in: ${candidates.join(', ')}`);
  }
  return found;
}

let cached: ReadonlySet<string> | undefined;

function readList(): ReadonlySet<string> {
  const text = readFileSync(commonPasswordsPath(), 'utf8');
  const entries = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line !== '') entries.add(line.toLowerCase());
  }
  if (entries.size === 0) throw new Error('common-password list is empty');
  return entries;
}

/**
 * `isCommon` for `checkPassword` (`@harbour/domain`): true when the candidate, lower-cased, is on
 * the list. Call it at start-up so a missing file stops the API from booting.
 */
export function loadCommonPasswords(): (candidate: string) => boolean {
  cached ??= readList();
  const entries = cached;
  return (candidate) => entries.has(candidate.toLowerCase());
}
