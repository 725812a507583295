import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { readDemoLogins, type DemoLogin } from './support/demo-logins';
import {
  removeDataDir,
  startHarbour,
  tempDataDir,
  type HarbourProcess,
} from './support/harbour-process';
import { freshTotp } from './support/totp';

/**
 * The admin's retention page in the real console on the demo data: the settings with their
 * defaults, a dry run that lists the demo's long-inactive people (counts, dates, codes folded
 * away) and changes nothing, and a changed period saved after step-up — with no CSP violation,
 * console error or refused request on the way.
 */
describe('retention page in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let admin: DemoLogin;
  const statuses: number[] = [];

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    admin = readDemoLogins(dataDir).find(
      (l) => l.role === 'admin' && l.organisation === 'Harbour Demo Outreach',
    )!;
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB' });
    page = await context.newPage();
    problems = [];
    page.on('console', (message) => {
      // The console asks for the session before signing in: that 401 is expected.
      if (message.type() === 'error' && /status of 401\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/retention'))
        statuses.push(response.status());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  it('runs a dry run that lists the inactive people, and saves a period after step-up', async () => {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(admin.email);
    await page.getByTestId('sign-in-password').fill(admin.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(admin.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();

    if (await page.getByTestId('nav-toggle').isVisible())
      await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-retention').click();
    await page.getByTestId('retention-settings').waitFor();
    expect(await page.getByTestId('keep-inactive_people').inputValue()).toBe('24');
    expect(await page.getByTestId('last-run-none').textContent()).toContain('No purge');

    await page.getByTestId('retention-dry-run-button').click();
    await page.getByTestId('dry-run-table').waitFor();
    const people = Number(
      (await page.getByTestId('dry-run-count-inactive_people').textContent())?.trim(),
    );
    expect(people).toBeGreaterThanOrEqual(3);
    const codes = page.getByTestId('dry-run-codes-inactive_people');
    expect(await codes.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await codes.locator('summary').click();
    const listed = await codes.locator('li').allTextContents();
    expect(listed).toHaveLength(people);
    for (const code of listed) expect(code.trim()).toMatch(/^HB-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // A dry run removes nothing: a second one lists the same.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/retention/dry-run')),
      page.getByTestId('retention-dry-run-button').click(),
    ]);
    expect(
      Number((await page.getByTestId('dry-run-count-inactive_people').textContent())?.trim()),
    ).toBe(people);

    // Changing a period asks for password and code first, then saves.
    await page.getByTestId('keep-expired_sessions').fill('14');
    await page.getByTestId('retention-save').click();
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(admin.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(admin.totpSecret));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('retention-saved').waitFor();
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByTestId('retention-settings').waitFor();
    expect(await page.getByTestId('keep-expired_sessions').inputValue()).toBe('14');

    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);
});
