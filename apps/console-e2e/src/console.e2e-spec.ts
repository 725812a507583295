import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import {
  removeDataDir,
  startHarbour,
  tempDataDir,
  type HarbourProcess,
} from './support/harbour-process';

/**
 * The real console, served by the real API from `npm start`, in Chromium: it renders, talks
 * to the API, obeys the strict CSP, switches language, handles unknown routes, fits a phone,
 * and leaves nothing in browser storage.
 */
describe('console in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
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
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => {
      // A request the app itself cancelled (a newer one superseded it) is not a failure.
      const reason = request.failure()?.errorText ?? 'unknown';
      if (reason !== 'net::ERR_ABORTED')
        problems.push(`request failed (${reason}): ${request.url()}`);
    });
  });

  afterEach(async () => {
    await context.close();
  });

  it('renders the shell and the live service status, with no CSP violations or errors', async () => {
    const response = await page.goto(harbour.url, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId('app-title').textContent()).resolves.toContain('Harbour');
    await page.locator('[data-testid="service-status-card"][data-status="ready"]').waitFor();
    await expect(page.getByTestId('service-status-message').textContent()).resolves.toContain(
      'Service ready',
    );
    await expect(page.getByTestId('home-heading').textContent()).resolves.toContain(
      'Welcome to Harbour',
    );
    expect(await page.title()).toBe('Home · Harbour');
    // Angular picked up the per-response nonce for its component styles.
    const styleNonces = await page.$$eval('style', (styles) => styles.map((s) => s.nonce ?? ''));
    expect(styleNonces.length).toBeGreaterThan(0);
    expect(styleNonces.every((nonce) => nonce.length > 0)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('serves the page with the T10 headers', async () => {
    const response = await page.goto(harbour.url);
    const headers = response!.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers['strict-transport-security']).toMatch(/max-age=(3153600\d|[4-9]\d{7,})/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-powered-by']).toBeUndefined();
  });

  it('switches language at runtime', async () => {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.locator('[data-testid="service-status-card"][data-status="ready"]').waitFor();
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId('language-option-th').click();
    await page.waitForFunction(() => document.documentElement.lang === 'th');
    await page.getByText('ระบบพร้อมใช้งาน').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows the not-found page for an unknown deep link', async () => {
    const response = await page.goto(new URL('/no/such/page', harbour.url).href, {
      waitUntil: 'networkidle',
    });
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId('not-found-heading').textContent()).resolves.toContain(
      'Page not found',
    );
    await page.getByTestId('not-found-home-link').click();
    await page.getByTestId('home-heading').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(problems).toEqual([]);
  });

  it('fits a 360 px phone screen and keeps touch targets usable', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.locator('[data-testid="service-status-card"][data-status="ready"]').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    for (const id of ['nav-toggle', 'language-menu-button', 'refresh-status-button']) {
      const box = await page.getByTestId(id).boundingBox();
      expect({
        id,
        height: Math.round(box!.height) >= 48,
        width: Math.round(box!.width) >= 48,
      }).toEqual({
        id,
        height: true,
        width: true,
      });
    }
  });

  it('stores nothing in browser storage', async () => {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.locator('[data-testid="service-status-card"][data-status="ready"]').waitFor();
    const storage = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDb: (await indexedDB.databases()).length,
    }));
    expect(storage).toEqual({ local: 0, session: 0, indexedDb: 0 });
  });
});
