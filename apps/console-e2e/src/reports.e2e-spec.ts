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
 * The coordinator's dashboard in the real console, on the demo's year of records (dated over the
 * 365 days before now, so with today's date some quarters have closed): charts render; periods
 * come from the page's own offer of closed quarters; a figure that is not published reads "n/p"
 * with its legend; a report downloads as a CSV in the person's language; the external tier asks
 * for step-up before any report is requested, so no request is refused — with no CSP violation
 * or console error on the way.
 */
describe('reports dashboard in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let coordinator: DemoLogin;
  /** Every report request the page sent, and every answer's status. */
  const reportRequests: string[] = [];
  const reportStatuses: number[] = [];

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
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/reports/')) {
        reportRequests.push(request.url());
      }
    });
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/reports/')) {
        reportStatuses.push(response.status());
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  it('shows closed periods with charts, marks figures not published, exports CSV in Thai, and steps up first', async () => {
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
    // The rules are on the page, in plain words.
    expect(await page.getByTestId('reports-rule-fixed').textContent()).toContain(
      'records entered later count in the quarter they are entered',
    );
    // The needs chart has a row per category for the demo's year: a published total draws a
    // bar, a hidden one reads "n/p" and draws none. (The demo's year is thin — a handful of
    // needs per category and quarter — so which totals are published depends on the day the
    // demo was seeded; the contacts chart below always has bars.)
    const needBars = needs.getByTestId('bar-chart').first().locator('g[data-testid^="bar-"]');
    await needBars.first().waitFor();
    const drawn = await needBars.evaluateAll((groups) =>
      groups.map((g) => ({
        hidden: g.getAttribute('data-not-published') === 'true',
        width: g.querySelector('[data-testid="bar-rect"]')?.getBoundingClientRect().width ?? null,
        value: g.querySelector('[data-testid="bar-value"]')?.textContent?.trim() ?? '',
      })),
    );
    expect(drawn.length).toBeGreaterThan(0);
    for (const bar of drawn) {
      if (bar.hidden)
        expect({ width: bar.width, value: bar.value }).toEqual({ width: null, value: 'n/p' });
      else if (bar.value !== '0') expect(bar.width).toBeGreaterThan(0);
    }
    await page.getByTestId('report-referrals').getByTestId('bar-chart').waitFor();
    await page.getByTestId('report-contacts').getByTestId('bar-rect').first().waitFor();

    // Time to outcome: for a year not yet over, the page offers its closed quarters.
    const times = page.getByTestId('report-time-to-outcome');
    const offered = times.locator('[data-testid^="quarter-time-to-outcome-"]');
    if ((await offered.count()) > 0) await offered.last().click();
    await times.getByTestId('time-by-category').waitFor();

    // A closed quarter from the page's own offer: its months, no quarter columns to choose.
    const quarters = await page
      .getByTestId('filter-quarter')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const quarter = quarters.filter((q) => q !== '').at(-1)!;
    expect(quarter).toMatch(/^\d{4}-Q[1-4]$/);
    await page.getByTestId('filter-quarter').selectOption(quarter);
    await page.getByTestId('filter-apply').click();
    await page
      .getByTestId('reports-summary')
      .getByText(`(Q${quarter.slice(-1)})`)
      .waitFor();
    const months = needs.getByTestId('needs-by-month');
    await months.waitFor();
    expect(await months.locator('thead th').count()).toBe(5);
    expect(await page.getByTestId('time-columns').count()).toBe(0);

    // The whole year, narrowed to one small group, by month: figures not published read "n/p".
    await page.getByTestId('filter-quarter').selectOption('');
    await page.getByTestId('filter-attribute').selectOption('circumstance');
    await page.getByTestId('filter-value').selectOption('health_emergency');
    await page.getByTestId('filter-apply').click();
    await page.getByTestId('reports-summary').getByText('Health emergency').waitFor();
    await page.getByTestId('columns-month').click();
    await needs.getByTestId('needs-by-month').waitFor();
    const marker = page.getByTestId('not-published').first();
    await marker.waitFor();
    expect((await marker.textContent())?.trim()).toBe('n/pnot published');
    expect(await marker.locator('[aria-hidden="true"]').textContent()).toBe('n/p');
    expect(await needs.getByTestId('not-published-legend').textContent()).toContain(
      'Not published: fewer than 5 people, or hidden so that a small number cannot be worked ' +
        'out from the figures around it.',
    );
    expect(await needs.textContent()).not.toMatch(/< ?5\b/);

    // The CSV is the table on screen (by month), with its labels in the person's language.
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId('language-option-th').click();
    await needs.getByText('ความต้องการตามประเภทและเดือน').first().waitFor();
    // An export always needs step-up: asked for first, so no export request is refused.
    const beforeExport = reportRequests.length;
    await page.getByTestId('export-needs').click();
    await page.getByTestId('step-up-dialog').waitFor();
    expect(reportRequests.length).toBe(beforeExport);
    await page.getByTestId('step-up-password').fill(coordinator.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(coordinator.totpSecret));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('step-up-submit').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^harbour-needs-\d{4}-internal-circumstance\.csv$/,
    );
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('\uFEFFความต้องการที่พบ');
    expect(lines).toContain('ระดับ,ภายใน');
    expect(lines.some((line) => line.startsWith('ตัวกรอง,สถานการณ์: '))).toBe(true);
    expect(lines.some((line) => line.startsWith('ไม่เผยแพร่,ไม่เผยแพร่: น้อยกว่า 5 คน'))).toBe(true);
    const header = lines[lines.indexOf('ความต้องการตามประเภทและเดือน') + 1]!;
    expect(header).toMatch(/^ประเภท,.*,รวม$/);
    expect(header).not.toMatch(/[A-Za-z]/);
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId('language-option-en').click();

    // External tier: the step-up of the export is still fresh, so the reports are asked for at
    // once (and none is refused).
    await page.getByTestId('filter-attribute').selectOption('');
    await page.getByTestId('filter-tier').selectOption('external');
    const before = reportRequests.length;
    await page.getByTestId('filter-apply').click();
    await needs.getByTestId('not-published-legend').getByText('fewer than 11 people').waitFor();
    expect(await page.getByTestId('step-up-dialog').count()).toBe(0);
    await needs.getByTestId('rounding-legend').waitFor();
    expect(reportRequests.length).toBeGreaterThan(before);

    expect(reportStatuses.filter((status) => status === 403)).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
