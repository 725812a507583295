import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import {
  removeDataDir,
  startHarbour,
  tempDataDir,
  type HarbourProcess,
} from './support/harbour-process';
import { readDemoLogins, type DemoLogin } from './support/demo-logins';
import { freshTotp } from './support/totp';

type Tree = { [key: string]: string | Tree };
const text = (tree: Tree, key: string): string =>
  key.split('.').reduce<Tree | string>((node, part) => (node as Tree)[part]!, tree) as string;
const translations = (language: string): Tree =>
  JSON.parse(
    readFileSync(join(__dirname, `../../console/src/assets/i18n/${language}.json`), 'utf8'),
  ) as Tree;
const EN = translations('en');
const TH = translations('th');

/** A demo person (apps/api/src/app/seed/demo-duplicates.ts): synthetic, born 14 May 1991, female. */
const PERSON = { given: 'Kannika', family: 'Boonsri', dob: '1991-05-14' };
/** Phone size, where the language menu must still be reachable. */
const PHONE = { width: 360, height: 740 };

/**
 * The language remembered per account (issue 19): a coordinator switches to Thai in the menu,
 * reloads and is still in Thai; signs out, signs in again from a fresh browser (English
 * preferences) and is in Thai; a revealed identity shows sex by its Thai label and the date of
 * birth as a Thai date. Nothing about it is kept in browser storage.
 */
describe('language in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let logins: DemoLogin[];
  const contexts: BrowserContext[] = [];
  let problems: string[];

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    logins = readDemoLogins(dataDir);
    browser = await launchChromium();
    problems = [];
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  const coordinator = (): DemoLogin =>
    logins.find((l) => l.role === 'coordinator' && l.organisation === 'Harbour Demo Outreach')!;

  /** A fresh browser profile with English preferences, at phone size. */
  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /status of 40[13]\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    return page;
  }

  async function signIn(page: Page): Promise<void> {
    const user = coordinator();
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();
  }

  async function htmlLang(page: Page): Promise<string> {
    return page.evaluate(() => document.documentElement.lang);
  }

  async function storage(page: Page): Promise<number> {
    return page.evaluate(() => localStorage.length + sessionStorage.length);
  }

  it('remembers a language chosen in the menu across a reload and on a fresh browser', async () => {
    const page = await freshPage();
    await signIn(page);
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByTestId('home-heading').textContent()).toContain(text(EN, 'day.heading'));

    const saved = page.waitForResponse(
      (res) => res.url().endsWith('/api/me/language') && res.request().method() === 'PUT',
    );
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId('language-option-th').click();
    expect((await saved).status()).toBe(204);
    await page.getByTestId('home-heading').getByText(text(TH, 'day.heading')).waitFor();
    expect(await htmlLang(page)).toBe('th');

    await page.reload({ waitUntil: 'networkidle' });
    await page.getByTestId('home-heading').getByText(text(TH, 'day.heading')).waitFor();
    expect(await htmlLang(page)).toBe('th');
    expect(await storage(page)).toBe(0);

    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();

    // Another browser, English preferences: the account's language wins once signed in.
    const fresh = await freshPage();
    await fresh.goto(harbour.url, { waitUntil: 'networkidle' });
    expect(await htmlLang(fresh)).toBe('en');
    await signIn(fresh);
    await fresh.getByTestId('home-heading').getByText(text(TH, 'day.heading')).waitFor();
    expect(await htmlLang(fresh)).toBe('th');
    expect(await storage(fresh)).toBe(0);
  });

  it('shows a revealed value by its Thai label and the date of birth as a Thai date', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByTestId('home-heading').getByText(text(TH, 'day.heading')).waitFor();

    await page.goto(new URL('/people', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('find-name').fill(`${PERSON.given} ${PERSON.family}`);
    await page.getByTestId('find-submit').click();
    await page.getByTestId('find-result').first().click();
    await page.getByTestId('reveal-identity').click();
    await page.getByTestId('reveal-purpose').focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('option', {
        name: text(TH, 'taxonomy.revealPurpose.correction_of_details'),
        exact: true,
      })
      .click();
    await page.getByTestId('reveal-confirm').click();

    const sex = page.getByTestId('revealed-sex');
    await sex.waitFor();
    expect((await sex.textContent())?.trim()).toBe(text(TH, 'taxonomy.sex.female'));
    // 14 May 1991 in Thai, in the Buddhist era (1991 + 543).
    expect((await page.getByTestId('revealed-dateOfBirth').textContent())?.trim()).toBe(
      '14 พ.ค. 2534',
    );
    const identity = (await page.getByTestId('revealed-identity').textContent()) ?? '';
    expect(identity).toContain(text(TH, 'cases.identity.dateOfBirth'));
    expect(identity).not.toContain('female');
    expect(identity).not.toContain(PERSON.dob);
    expect(await storage(page)).toBe(0);
    expect(problems).toEqual([]);
  });
});
