import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { readDemoLogins, type DemoLogin } from './support/demo-logins';
import {
  removeDataDir,
  ROOT,
  startHarbour,
  tempDataDir,
  type HarbourProcess,
} from './support/harbour-process';
import { freshTotp } from './support/totp';

interface CanaryPerson {
  readonly given: string;
  readonly family: string;
  readonly alias: string;
}

const CANARIES = (
  JSON.parse(readFileSync(join(ROOT, 'tools/fixtures/canary-names.json'), 'utf8')) as {
    people: CanaryPerson[];
  }
).people;
/** Every canary name form, to look for wherever identity must not be. */
const CANARY_TEXTS = CANARIES.flatMap((p) => [p.given, p.family, p.alias]);
/** Three people met at one raid (canary names: they must never be found in the clear). */
const INTAKE = CANARIES.slice(0, 3);

/** The idle timeout of this Harbour (development/test override; production is 15 minutes). */
const IDLE_SECONDS = 40;
const NEUTRAL_URL = 'https://www.bbc.com/weather';
const SESSION_COOKIE = '__Host-harbour-session';

/**
 * Issue 19, "Done means" 2 and the session-safety track, on a phone-sized screen: a half-typed
 * post-raid intake survives the session timing out (kept encrypted on the device, restored
 * after sign-in); typing keeps the session alive; quick exit by tap and by Escape×3 leaves
 * nothing on screen or in the session; revealed identity leaves no trace after navigating away.
 */
describe('session safety in Chromium (360×740)', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let logins: DemoLogin[];
  /** Every address the tab showed (what history could hold). */
  const visited: string[] = [];

  beforeAll(async () => {
    harbour = await startHarbour(dataDir, {
      env: { HARBOUR_SESSION_IDLE_SECONDS: String(IDLE_SECONDS) },
    });
    logins = readDemoLogins(dataDir);
    browser = await launchChromium();
    context = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
      hasTouch: true,
    });
    // The neutral page of quick exit, served here (the test machine has no internet).
    await context.route(`${NEUTRAL_URL}**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Weather</title><p data-testid="weather">Sunny, 31°</p>',
      }),
    );
    page = await context.newPage();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
  }, 150_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  const caseworker = (): DemoLogin =>
    logins.find((l) => l.role === 'caseworker' && l.organisation === 'Harbour Demo Outreach')!;

  /** Signs in on the sign-in page the tab shows (it returns to where the session ended). */
  async function signInHere(): Promise<void> {
    const user = caseworker();
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
  }

  /** Signed in on the home page (signing in only when the tab is not already). */
  async function signIn(): Promise<void> {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.locator('[data-testid="sign-in-email"], [data-testid="home-heading"]').waitFor();
    if ((await page.getByTestId('home-heading').count()) === 0) await signInHere();
    await page.getByTestId('home-heading').waitFor();
  }

  async function go(path: string): Promise<void> {
    await page.goto(new URL(path, harbour.url).href, { waitUntil: 'networkidle' });
  }

  async function sessionStatus(cookie: string): Promise<number> {
    const response = await fetch(new URL('/api/auth/session', harbour.url), {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    return response.status;
  }

  async function sessionCookie(): Promise<string> {
    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toBeDefined();
    return cookie!.value;
  }

  async function typeIntake(): Promise<void> {
    await go('/intake');
    await page.getByTestId('intake-heading').waitFor();
    const rows = page.getByTestId('intake-row');
    for (let i = 1; i < INTAKE.length; i++) await page.getByTestId('intake-add-person').click();
    for (const [i, person] of INTAKE.entries()) {
      await rows.nth(i).getByTestId('intake-given-name').fill(person.given);
      await rows.nth(i).getByTestId('intake-family-name').fill(person.family);
    }
    await rows.nth(2).getByTestId('intake-alias').fill(INTAKE[2]!.alias);
  }

  /** What a person (or a seizure) could read in the page and its storage, as text. */
  async function pageTraces(): Promise<string> {
    return page.evaluate(() => {
      const parts = [document.title, document.body.innerText, location.href];
      for (const storage of [localStorage, sessionStorage]) {
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i)!;
          parts.push(key, storage.getItem(key) ?? '');
        }
      }
      return parts.join('\n');
    });
  }

  /** Every value in every IndexedDB store of the origin, described as text. */
  async function indexedDbDump(): Promise<{ text: string; records: number; plainStrings: number }> {
    return page.evaluate(async () => {
      const describe = (value: unknown): string => {
        if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
          const bytes = new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer);
          return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        }
        if (typeof value === 'object' && value !== null) {
          return Object.entries(value)
            .map(([k, v]) => `${k}:${describe(v)}`)
            .join(',');
        }
        return String(value);
      };
      let text = '';
      let records = 0;
      let plainStrings = 0;
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((done, fail) => {
          const request = indexedDB.open(info.name!);
          request.onsuccess = () => done(request.result);
          request.onerror = () => fail(new Error(String(request.error)));
        });
        for (const name of Array.from(db.objectStoreNames)) {
          const values = await new Promise<unknown[]>((done, fail) => {
            const request = db.transaction(name).objectStore(name).getAll();
            request.onsuccess = () => done(request.result as unknown[]);
            request.onerror = () => fail(new Error(String(request.error)));
          });
          for (const value of values) {
            records++;
            if (typeof value === 'string' && value.length > 64) plainStrings++;
            text += `${describe(value)}\n`;
          }
        }
        db.close();
      }
      return { text, records, plainStrings };
    });
  }

  it('Done 2: a half-typed intake survives the session timing out and comes back after sign-in', async () => {
    await signIn();
    await typeIntake();
    // The draft is saved a second after the last keystroke, sealed in the device vault.
    await page.waitForTimeout(2_000);
    const dump = await indexedDbDump();
    expect(dump.records).toBeGreaterThan(0);
    for (const name of CANARY_TEXTS) expect(dump.text).not.toContain(name);

    // Nobody touches the phone: the warning comes, saying the form is kept, then the session ends.
    await page.getByTestId('session-warning-draft').waitFor({ timeout: IDLE_SECONDS * 1000 });
    await page.getByTestId('sign-in-email').waitFor({ timeout: IDLE_SECONDS * 1000 });
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByTestId('intake-row').count()).toBe(0);
    for (const name of CANARY_TEXTS) expect(await pageTraces()).not.toContain(name);

    await signInHere();
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.getByTestId('draft-restored').textContent()).toMatch(
      /Restored your unsaved intake from \d{1,2}:\d{2}/,
    );
    const rows = page.getByTestId('intake-row');
    expect(await rows.count()).toBe(INTAKE.length);
    for (const [i, person] of INTAKE.entries()) {
      expect(await rows.nth(i).getByTestId('intake-given-name').inputValue()).toBe(person.given);
      expect(await rows.nth(i).getByTestId('intake-family-name').inputValue()).toBe(person.family);
    }
    expect(await rows.nth(2).getByTestId('intake-alias').inputValue()).toBe(INTAKE[2]!.alias);

    // "Discard" empties the form and deletes the draft: the next visit offers nothing.
    await page.getByTestId('draft-discard').click();
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
    expect(await rows.count()).toBe(1);
    expect(await rows.nth(0).getByTestId('intake-given-name').inputValue()).toBe('');
    await go('/intake');
    await page.getByTestId('intake-heading').waitFor();
    await page.waitForTimeout(1_000);
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
  }, 180_000);

  it('typing keeps the session alive past the idle timeout', async () => {
    await signIn();
    await go('/intake');
    await page.getByTestId('intake-heading').waitFor();
    const notes = page.getByTestId('intake-row').nth(0).locator('textarea');
    const started = Date.now();
    // Well past the idle timeout, typing a few letters every two seconds and nothing else.
    while (Date.now() - started < (IDLE_SECONDS + 25) * 1000) {
      await notes.press('a');
      await page.waitForTimeout(2_000);
    }
    expect(new URL(page.url()).pathname).toBe('/intake');
    expect(await page.getByTestId('session-warning-dialog').count()).toBe(0);
    expect(await sessionStatus(await sessionCookie())).toBe(200);
    // Leave no draft behind for the next test.
    await page.getByTestId('intake-row').nth(0).locator('textarea').fill('');
  }, 180_000);

  async function expectLeftHarbour(cookie: string): Promise<void> {
    await page.getByTestId('weather').waitFor();
    expect(page.url()).toBe(NEUTRAL_URL);
    expect(await page.title()).toBe('Weather');
    // Ended on the server too (the logout was sent in the background).
    let status = 0;
    for (let i = 0; i < 50 && status !== 401; i++) {
      status = await sessionStatus(cookie);
      if (status !== 401) await page.waitForTimeout(100);
    }
    expect(status).toBe(401);
    // Back does not bring Harbour's data back: at most its sign-in page.
    await page.goBack({ waitUntil: 'networkidle' }).catch(() => null);
    await page.waitForTimeout(1_000);
    if (page.url().startsWith(harbour.url)) await page.getByTestId('sign-in-email').waitFor();
    const traces = await pageTraces();
    for (const name of CANARY_TEXTS) expect(traces).not.toContain(name);
    expect(traces).not.toContain('intake-row');
  }

  it('quick exit by tap: screen cleared, neutral page, session ended, back shows nothing, draft kept', async () => {
    await signIn();
    await typeIntake();
    const cookie = await sessionCookie();
    await page.waitForTimeout(2_000);
    const button = page.getByTestId('quick-exit');
    // Always on screen, in the sticky header's corner (covering no control of the page).
    const box = (await button.boundingBox())!;
    expect(box.y).toBeLessThan(80);
    expect(box.x + box.width).toBeGreaterThan(360 - 80);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await button.tap();
    await expectLeftHarbour(cookie);

    // What was typed stayed on the device, sealed: signing in again brings it back.
    await signIn();
    await go('/intake');
    await page.getByTestId('draft-restored').waitFor();
    expect(
      await page.getByTestId('intake-row').nth(0).getByTestId('intake-given-name').inputValue(),
    ).toBe(INTAKE[0]!.given);
    await page.getByTestId('draft-discard').click();
  }, 180_000);

  it('quick exit by Escape three times (keyboard)', async () => {
    await signIn();
    await go('/contacts/new');
    await page.getByTestId('log-contact-heading').waitFor();
    const cookie = await sessionCookie();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
    await expectLeftHarbour(cookie);
  }, 180_000);

  it('after a reveal and leaving the page, no canary name in DOM, title, URLs or storage', async () => {
    const person = CANARIES[5]!;
    await signIn();
    await go('/contacts/new');
    await page.getByTestId('contact-person-new').click();
    await page.getByTestId('person-given-name').fill(person.given);
    await page.getByTestId('person-family-name').fill(person.family);
    await page.getByTestId('contact-location').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Drop-in centre', exact: true }).click();
    await page.getByTestId('log-contact-save').click();
    // The demo data already holds people with canary names: record a new one anyway.
    const created = page.getByTestId('log-contact-open-person');
    await page.getByTestId('duplicate-create').or(created).first().waitFor();
    if ((await created.count()) === 0) await page.getByTestId('duplicate-create').click();
    await created.click();
    await page.getByTestId('reveal-identity').click();
    await page.getByTestId('reveal-purpose').focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('option', { name: 'Booking or attending an appointment', exact: true })
      .click();
    await page.getByTestId('reveal-confirm').click();
    await page.getByTestId('revealed-givenName').getByText(person.given).waitFor();
    expect(await page.title()).not.toContain(person.given);

    // Leave the page the way a worker would (the app's own navigation).
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-heading').waitFor();
    const traces = await pageTraces();
    for (const name of CANARY_TEXTS) expect(traces).not.toContain(name);
    for (const url of visited) {
      for (const name of CANARY_TEXTS) expect(decodeURIComponent(url)).not.toContain(name);
    }
    // IndexedDB holds only the vault's ciphertext.
    const dump = await indexedDbDump();
    for (const name of CANARY_TEXTS) expect(dump.text).not.toContain(name);
    expect(dump.plainStrings).toBe(0);
  }, 180_000);
});
