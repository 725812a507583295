import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One entry of `.harbour/demo-credentials.json` (docs/design.md §11), written by `npm start`. */
export interface DemoLogin {
  readonly organisation: string;
  readonly role: string;
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
}

/** The demo logins of the Harbour started on `dataDir`. */
export function readDemoLogins(dataDir: string): DemoLogin[] {
  return JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoLogin[];
}
