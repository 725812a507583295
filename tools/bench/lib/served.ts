import type { AddressInfo } from 'node:net';
import type { Role } from '@harbour/domain';
import {
  createTestApp,
  type AuthHarness,
  type TestApp,
  type TestBrowser,
  type TestDatabase,
  type TestUser,
} from '@harbour/api/internal';
import { cleanupStack, type Cleanup } from '../audit/environment';

/**
 * What the benchmarks that serve the real API over loopback (`bench:load`, `bench:records`,
 * `bench:reports`) share: the main flow with its cleanup and signals, their `--name=value`
 * options, the application listening on a private port, and signed-in staff.
 */

export type CleanupSteps = Cleanup & { add(step: () => Promise<void>): void };

/** A benchmark's progress line on stderr, `bench:<name> …`. */
export const benchLog =
  (name: string) =>
  (line: string): void =>
    void process.stderr.write(`bench:${name} ${line}\n`);

/** The value of `--name=value` among `args`, if given. */
export const optionOf =
  (args: readonly string[]) =>
  (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/**
 * Runs `body` with a cleanup stack it fills as resources come up; the stack runs when `body`
 * ends or fails, and on SIGINT or SIGTERM (then the process exits with 130).
 */
export async function withCleanup(
  log: (line: string) => void,
  body: (cleanup: CleanupSteps) => Promise<void>,
): Promise<void> {
  const cleanup = cleanupStack(log);
  const onSignal = (): void => {
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await body(cleanup);
  } finally {
    await cleanup.run();
  }
}

/** Runs a benchmark's `main`; a failure is printed (`bench:<name> failed: …`) and exits 1. */
export function runBenchmark(name: string, main: () => Promise<void>): void {
  void main().catch((error: unknown) => {
    process.stderr.write(
      `bench:${name} failed: ${String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exitCode = 1;
  });
}

/**
 * The real application (`createTestApp`, warnings only in its log) on the benchmark's
 * database, listening on a private loopback port. The caller closes it (`app.close()`).
 */
export async function serveApi(database: TestDatabase): Promise<{ app: TestApp; port: number }> {
  const app = await createTestApp(database, { env: { LOG_LEVEL: 'warn' } });
  try {
    await app.app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, port: (app.app.getHttpServer().address() as AddressInfo).port };
}

/**
 * `count` new staff of `organisationId` with `roles`, each signed in with a session of their
 * own. Each sign-in moves the app's clock a TOTP step (30 s): with `touch`, every session so far
 * is touched after each 10 sign-ins, or 30 sign-ins would idle out the first (15 minutes).
 */
export async function signedInStaff(
  h: AuthHarness,
  organisationId: string,
  count: number,
  roles: Role[],
  touch?: (browser: TestBrowser) => Promise<unknown>,
): Promise<{ user: TestUser; browser: TestBrowser }[]> {
  const staff: { user: TestUser; browser: TestBrowser }[] = [];
  for (let i = 0; i < count; i++) {
    const user = await h.createUser(organisationId, { roles });
    staff.push({ user, browser: await h.signIn(user) });
    if (touch !== undefined && i % 10 === 9) for (const s of staff) await touch(s.browser);
  }
  return staff;
}
