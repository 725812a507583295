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

/**
 * Lockdown in the real console (docs/security.md T25), on a Harbour of its own: an admin starts it
 * after a confirmation that lists what the API enforces; staff are told at sign-in; admins land
 * on the lockdown page, where two admins approve lifting it, each with step-up.
 */
describe('lockdown in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let logins: DemoLogin[];

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    logins = readDemoLogins(dataDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  beforeEach(async () => {
    context = await browser.newContext({ locale: 'en-GB' });
    page = await context.newPage();
    problems = [];
    page.on('console', (message) => {
      // Chromium logs every 401/403 fetch; those are expected answers here.
      if (message.type() === 'error' && /status of 40[13]\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  });

  afterEach(async () => {
    await context.close();
  });

  const byEmail = (email: string): DemoLogin => logins.find((l) => l.email === email)!;

  /** Password and code; resolves once the code has been submitted. */
  async function enterCredentials(user: DemoLogin): Promise<void> {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').waitFor();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
  }

  async function stepUp(user: DemoLogin): Promise<void> {
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(user.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('step-up-submit').click();
  }

  async function navigation(): Promise<string[]> {
    const ids = await page.$$eval('[data-testid^="nav-"]', (links) =>
      links.map((l) => l.getAttribute('data-testid') ?? '').filter((id) => id !== 'nav-toggle'),
    );
    return [...new Set(ids)].sort();
  }

  it('is started by an admin after a confirmation that lists what it enforces', async () => {
    const admin = byEmail('admin@demo.harbour.test');
    await enterCredentials(admin);
    await page.getByTestId('home-heading').waitFor();
    await page.getByTestId('nav-organisation').click();
    await page.getByTestId('lockdown-button').click();
    const dialog = page.getByTestId('lockdown-dialog');
    await dialog.waitFor();
    const promises = await dialog.locator('[data-testid^="lockdown-promise-"]').allTextContents();
    expect(promises).toHaveLength(10);
    expect(promises.join(' ')).toMatch(/reveal.*notes.*look up.*reports.*exported/s);
    await page.getByTestId('lockdown-confirm').click();
    await stepUp(admin);
    // Everyone is signed out, this admin too.
    await page.getByTestId('sign-in-ended').waitFor();
    expect(await page.getByTestId('sign-in-ended').textContent()).toContain(
      'Your organisation is in lockdown',
    );
    expect(problems).toEqual([]);
  });

  it('tells a caseworker at sign-in, after the right code, that only administrators can sign in', async () => {
    await enterCredentials(byEmail('caseworker@demo.harbour.test'));
    await page.getByTestId('sign-in-ended').waitFor();
    expect(await page.getByTestId('sign-in-ended').textContent()).toContain(
      'Only administrators can sign in',
    );
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // No session: the home page sends back to sign-in.
    await page.goto(new URL('/people', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').waitFor();
    expect(problems).toEqual([]);
  });

  it('brings an admin to the lockdown page, where their approval (with step-up) is the first of two', async () => {
    const admin = byEmail('admin@demo.harbour.test');
    await enterCredentials(admin);
    await page.getByTestId('lockdown-heading').waitFor();
    expect(new URL(page.url()).pathname).toBe('/lockdown');
    await page.getByTestId('lockdown-banner').waitFor();
    expect(await navigation()).toEqual(['nav-lockdown']);
    // Typing another address leads back here.
    await page.goto(new URL('/admin/users', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('lockdown-heading').waitFor();
    expect(await page.getByTestId('lockdown-approvals').textContent()).toContain('0 of 2');
    await page.getByTestId('lockdown-lift-button').click();
    await stepUp(admin);
    await page.locator('[data-testid="lockdown-approvals"]:has-text("1 of 2")').waitFor();
    expect(await page.getByTestId('lockdown-lift-button').isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('is lifted by the second admin who held the role before it, with step-up', async () => {
    const second = byEmail('admin2@demo.harbour.test');
    await enterCredentials(second);
    await page.getByTestId('lockdown-heading').waitFor();
    await page.getByTestId('lockdown-lift-button').click();
    await stepUp(second);
    await page.getByTestId('lockdown-continue').click();
    await page.getByTestId('home-heading').waitFor();
    expect(await page.getByTestId('lockdown-banner').count()).toBe(0);
    expect(await navigation()).toEqual([
      'nav-canaries',
      'nav-disclosures',
      'nav-home',
      'nav-keys',
      'nav-organisation',
      'nav-partners',
      'nav-retention',
      'nav-users',
    ]);
    expect(problems).toEqual([]);
  });

  it('lets staff sign in and work again once it is lifted', async () => {
    await enterCredentials(byEmail('caseworker@demo.harbour.test'));
    await page.getByTestId('home-heading').waitFor();
    expect(await navigation()).toContain('nav-people');
    expect(problems).toEqual([]);
  });
});
