import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { TEMPLATE_ENV } from './fault-harbour';

export default function globalTeardown(): void {
  const dir = process.env[TEMPLATE_ENV];
  // Only the temporary folder global setup made, never anything else.
  if (dir !== undefined && basename(dir).startsWith('harbour-faults-template-')) {
    rmSync(dir, { recursive: true, force: true });
  }
}
