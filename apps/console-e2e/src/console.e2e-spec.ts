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
 * The real console, served by the real API from `npm start`, in Chromium: strict CSP, sign-in
 * with password and TOTP for every demo role with role-aware navigation, an admin creating a
 * user who then enrols and signs in, language switching, phone layout, and no browser storage.
 */
describe('console in Chromium', () => {
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
      // Chromium logs every 401/403 fetch; those are expected answers here (the start-up session
      // check while signed out, step-up and password-change requirements). The flows themselves
      // are asserted through what the pages show.
      if (message.type() === 'error' && /status of 40[13]\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? 'unknown';
      if (reason !== 'net::ERR_ABORTED')
        problems.push(`request failed (${reason}): ${request.url()}`);
    });
  });

  afterEach(async () => {
    await context.close();
  });

  const login = (role: string, organisation = 'Harbour Demo Outreach'): DemoLogin =>
    logins.find((l) => l.role === role && l.organisation === organisation)!;

  async function signIn(user: {
    email: string;
    password: string;
    totpSecret: string;
  }): Promise<void> {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').waitFor();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();
  }

  async function navigation(): Promise<string[]> {
    if (await page.getByTestId('nav-toggle').isVisible())
      await page.getByTestId('nav-toggle').click();
    const ids = await page.$$eval('[data-testid^="nav-"]', (links) =>
      links.map((l) => l.getAttribute('data-testid') ?? '').filter((id) => id !== 'nav-toggle'),
    );
    return [...new Set(ids)].sort();
  }

  it('shows the sign-in page to a signed-out visitor, under the strict CSP, with T10 headers', async () => {
    const response = await page.goto(harbour.url, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await page.getByTestId('sign-in-email').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
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
    // Angular applied the per-response nonce to its component styles.
    const nonces = await page.$$eval('style', (styles) => styles.map((s) => s.nonce ?? ''));
    expect(nonces.length).toBeGreaterThan(0);
    expect(nonces.every((n) => n.length > 0)).toBe(true);
    expect(problems).toEqual([]);
  });

  it.each([
    ['caseworker', ['nav-home', 'nav-intake', 'nav-log-contact', 'nav-partners', 'nav-people']],
    [
      'coordinator',
      [
        'nav-disclosures',
        'nav-home',
        'nav-intake',
        'nav-log-contact',
        'nav-partners',
        'nav-people',
        'nav-reports',
      ],
    ],
    ['auditor', ['nav-audit', 'nav-home', 'nav-partners']],
    [
      'admin',
      [
        'nav-canaries',
        'nav-disclosures',
        'nav-home',
        'nav-keys',
        'nav-organisation',
        'nav-partners',
        'nav-retention',
        'nav-users',
      ],
    ],
  ])(
    'signs in the demo %s with password and TOTP and shows only its navigation',
    async (role, expected) => {
      const user = login(role);
      await signIn(user);
      expect(await navigation()).toEqual(expected);
      // The session cookie is HttpOnly: page scripts cannot read it.
      expect(await page.evaluate(() => document.cookie)).not.toContain('harbour-session');
      // Admin pages are not reachable by typing their address without the permission.
      await page.goto(new URL('/admin/users', harbour.url).href, { waitUntil: 'networkidle' });
      if (role === 'admin') {
        await page.getByTestId(`user-row-${user.email}`).first().waitFor();
      } else {
        await page.getByTestId('not-found-heading').waitFor();
      }
      await page.getByTestId('user-menu-button').click();
      await page.getByTestId('sign-out-button').click();
      await page.getByTestId('sign-in-email').waitFor();
      expect(problems).toEqual([]);
    },
  );

  async function stepUp(user: DemoLogin): Promise<void> {
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(user.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('step-up-submit').click();
  }

  async function signOut(): Promise<void> {
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();
  }

  it('lets an admin rotate the data key on the keys page and follow the job to its end (the server works it on pg-boss)', async () => {
    const admin = login('admin');
    await signIn(admin);
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('key-status-2').waitFor();
    expect((await page.getByTestId('key-status-2').textContent())!.trim()).toBe('In use');
    await page.getByTestId('rotate-key-button').click();
    await page.getByTestId('confirm-dialog-confirm').click();
    await stepUp(admin);
    // The job runner polls every 2 s and the page every 2 s: the demo data takes moments.
    await page.getByTestId('rotation-state-completed').waitFor({ timeout: 60_000 });
    await page
      .getByTestId('key-status-2')
      .getByText('Retired', { exact: true })
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('key-countdown-2').textContent()).toContain(
      'destroyed in 35 days',
    );
    await signOut();
    expect(problems).toEqual([]);
  });

  it('lets an admin ask for a caseworker account, a second admin approve it, and the new user enrol TOTP, change the one-time password and sign in', async () => {
    const admin = login('admin');
    const second = logins.find((l) => l.email === 'admin2@demo.harbour.test')!;
    await signIn(admin);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('create-user-button').click();
    const email = `new.peer.worker.${Date.now()}@demo.harbour.test`;
    await page.getByTestId('create-user-email').fill(email);
    await page.getByTestId('create-user-display-name').fill('New Peer Worker');
    await page.locator('[data-testid="create-user-role-caseworker"] input').check();
    await page.getByTestId('create-user-submit').click();
    // Creating an account grants a role: step-up with password and a fresh code.
    await stepUp(admin);
    // A caseworker reaches case content: the account waits for a second admin.
    await page.getByTestId(`approval-${email}`).waitFor();
    await page
      .getByTestId('users-notice')
      .getByText('waiting for a second administrator', { exact: false })
      .waitFor();
    expect(await page.getByTestId(`user-row-${email}`).count()).toBe(0);
    expect(
      await page.getByTestId(`approval-${email}`).getByTestId('approval-approve').isDisabled(),
    ).toBe(true);
    await signOut();

    // The second admin approves it (step-up) and gets the one-time password to hand over.
    await signIn(second);
    await page.getByTestId('nav-users').click();
    await page.getByTestId(`approval-${email}`).getByTestId('approval-approve').click();
    await stepUp(second);
    const oneTime = (await page.getByTestId('one-time-password').textContent())!.trim();
    expect(oneTime).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await page.getByTestId('one-time-password-done').click();
    await page.getByTestId(`user-row-${email}`).first().waitFor();
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();

    // The new user: password step, then enrolment (first sign-in forces it).
    await page.getByTestId('sign-in-email').fill(email);
    await page.getByTestId('sign-in-password').fill(oneTime);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('enrol-qr').waitFor();
    expect(await page.getByTestId('enrol-qr').getAttribute('src')).toMatch(
      /^data:image\/svg\+xml;base64,/,
    );
    const secret = (await page.getByTestId('enrol-secret').textContent())!.replace(/\s+/g, '');
    await page.getByTestId('enrol-code-input').fill(await freshTotp(secret));
    await page.getByTestId('enrol-submit').click();
    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-codes').textContent();
    expect(codes).toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}/);
    await page.locator('[data-testid="recovery-codes-saved"] input').check();
    await page.getByTestId('recovery-codes-confirm').click();

    // The one-time password must be replaced before anything else.
    await page.getByTestId('change-password-current').waitFor();
    const newPassword = 'a long river of quiet evenings 2026';
    await page.getByTestId('change-password-current').fill(oneTime);
    await page.getByTestId('change-password-new').fill(newPassword);
    await page.getByTestId('change-password-confirm').fill(newPassword);
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('home-heading').waitFor();
    expect(await navigation()).toEqual([
      'nav-home',
      'nav-intake',
      'nav-log-contact',
      'nav-partners',
      'nav-people',
    ]);

    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();
    await signIn({ email, password: newPassword, totpSecret: secret });
    expect(problems).toEqual([]);
  });

  it('lets the auditor find another user’s sign-in in the access log and see the chain verified', async () => {
    // The coordinator signs in (an event the auditor should find), then the auditor looks.
    await signIn(login('coordinator'));
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();
    await signIn(login('auditor'));
    await page.getByTestId('nav-audit').click();
    await page.locator('[data-testid="chain-status"][data-status="verified"]').waitFor();
    await page.getByTestId('filter-action').selectOption('auth.sign_in');
    await page.getByTestId('filter-apply').click();
    // Rows name their actor; the coordinator's sign-in is among them.
    await page.getByText('Demo Coordinator').first().waitFor();
    // The admin's flows above (a new account after step-up) caused no refused request.
    await page.locator('[data-testid="anomalies"][data-state="ready"]').waitFor();
    expect(await page.locator('[data-testid^="anomaly-repeated_denials-"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('does not open the access log for a caseworker', async () => {
    await signIn(login('caseworker'));
    await page.goto(new URL('/audit', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('not-found-heading').waitFor();
    expect(await page.locator('[data-testid="chain-status"]').count()).toBe(0);
  });

  it('switches language on the sign-in page', async () => {
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').waitFor();
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId('language-option-th').click();
    await page.waitForFunction(() => document.documentElement.lang === 'th');
    expect(problems).toEqual([]);
  });

  it('shows an admin, on a phone, the Backups card warning that the fresh demo has no backup', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(login('admin'));
    await page.getByTestId('backup-stale').waitFor();
    expect(
      (await page.getByTestId('backup-stale').textContent())!.replace(/\s+/g, ' ').trim(),
    ).toBe('No backup in the last 7 days — run harbour backup');
    await page.getByTestId('verify-stale').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await signOut();
    expect(problems).toEqual([]);
  });

  it('fits a 360 px phone screen with usable touch targets, signed in', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(login('caseworker', 'Second Demo Service'));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    for (const id of ['nav-toggle', 'language-menu-button', 'user-menu-button']) {
      const box = await page.getByTestId(id).boundingBox();
      expect({ id, ok: Math.round(box!.height) >= 48 && Math.round(box!.width) >= 48 }).toEqual({
        id,
        ok: true,
      });
    }
    await page.goto(new URL('/no/such/page', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('not-found-heading').waitFor();
  });

  it('stores nothing in browser storage but the device vault (a device id; no record yet)', async () => {
    await signIn(login('coordinator'));
    const read = () =>
      page.evaluate(async () => {
        const databases = (await indexedDB.databases()).map((db) => db.name ?? '');
        const records: Record<string, number> = {};
        if (databases.includes('harbour-device')) {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open('harbour-device');
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error ?? new Error('open failed'));
          });
          for (const name of Array.from(db.objectStoreNames)) {
            const count = db.transaction(name).objectStore(name).count();
            records[name] = await new Promise<number>((resolve) => {
              count.onsuccess = () => resolve(count.result);
            });
          }
          db.close();
        }
        return {
          local: localStorage.length,
          session: sessionStorage.length,
          databases: databases.filter((name) => name !== 'harbour-device'),
          records,
        };
      });
    // The vault opens just after sign-in (the device id is written before the key is asked for).
    let storage = await read();
    for (let i = 0; i < 40 && storage.records['meta'] !== 1; i++) {
      await page.waitForTimeout(250);
      storage = await read();
    }
    // The vault (docs/adr/0012) is the only database: its device id, and nothing sealed yet.
    expect(storage).toEqual({
      local: 0,
      session: 0,
      databases: [],
      records: { drafts: 0, meta: 1, outbox: 0 },
    });
  });
});
