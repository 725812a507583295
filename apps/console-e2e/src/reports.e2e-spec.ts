import { readFileSync } from 'node:fs';
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
 * The coordinator's dashboard in the real console (issue 7, "Done means" 6): charts render with
 * the demo year's data, a filter to a small group shows suppressed cells marked "< 5", and a
 * report downloads as CSV — with no CSP violation or console error on the way.
 */
describe('reports dashboard in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let coordinator: DemoLogin;

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    coordinator = readDemoLogins(dataDir).find(
      (l) => l.role === 'coordinator' && l.organisation === 'Harbour Demo Outreach',
    )!;
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    problems = [];
    page.on('console', (message) => {
      // The console asks for the session before signing in: that 401 is expected.
      if (message.type() === 'error' && /status of 401\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  it('shows charts with data, marks suppressed cells under a filter, and exports CSV', async () => {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(coordinator.email);
    await page.getByTestId('sign-in-password').fill(coordinator.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(coordinator.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();

    await page.getByTestId('nav-reports').click();
    const needs = page.getByTestId('report-needs');
    await needs.waitFor();
    // The charts draw bars for the demo year (a bar per need category with needs).
    await needs.getByTestId('bar-rect').nth(2).waitFor();
    expect(await needs.getByTestId('bar-rect').count()).toBeGreaterThan(2);
    const widths = await needs
      .getByTestId('bar-rect')
      .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    expect(widths.some((w) => w > 0)).toBe(true);
    await page.getByTestId('report-referrals').getByTestId('bar-rect').first().waitFor();
    await page.getByTestId('report-contacts').getByTestId('bar-rect').first().waitFor();

    // Narrow to one small group: its cells are suppressed and marked "< 5".
    await page.getByTestId('filter-attribute').selectOption('circumstance');
    await page.getByTestId('filter-value').selectOption('health_emergency');
    await page.getByTestId('filter-apply').click();
    await page.getByTestId('reports-summary').getByText('Health emergency').waitFor();
    const marked = needs.getByTestId('suppressed');
    await marked.first().waitFor();
    expect(await marked.first().textContent()).toContain('< 5');

    // CSV export of the filtered report.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-needs').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^harbour-needs-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('report,needs');
    expect(csv).toContain('filter,circumstance=health_emergency');
    expect(csv).toMatch(/,<5\r\n/);

    expect(problems).toEqual([]);
  }, 120_000);
});
