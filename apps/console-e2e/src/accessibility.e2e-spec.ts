import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  rawKeysShown,
  runAxe,
  smallTargets,
  type AxeFinding,
  type SmallTarget,
} from './support/accessibility';
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

/** Every language the console offers, switched through its language menu. */
const LANGUAGES = ['en', 'th', 'vi', 'zh-Hans', 'ko'] as const;
type Lang = (typeof LANGUAGES)[number];
/** Screenshots: these languages at these sizes (docs/screenshots/<page>-<lang>-<size>.png). */
const SCREENSHOT_LANGUAGES: readonly Lang[] = ['en', 'th'];
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const SCREENSHOTS = join(ROOT, 'docs/screenshots');
/** A reveal's words (made up; never a name). */
const REVEAL_DETAIL = 'Accessibility review of the demo record.';

const CANARIES = (
  JSON.parse(readFileSync(join(ROOT, 'tools/fixtures/canary-names.json'), 'utf8')) as {
    people: { given: string; family: string; alias: string }[];
  }
).people.flatMap((person) => [person.given, person.family]);
// Aliases ("Noi", "Lan", "น้อย" — "little" in Thai) are ordinary words: names only are checked.

/** Whether `text` holds `name` as a word (Latin names) or anywhere (Thai, Han, Hangul). */
function holdsName(text: string, name: string): boolean {
  if (!/^[\p{Script=Latin}\s'’-]+$/u.test(name)) return text.includes(name);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{M}])${escaped}(?![\\p{L}\\p{M}])`, 'u').test(text);
}

/** One page to check: where it is, and whether a caseworker uses it in the field (phone checks). */
interface PageCheck {
  readonly name: string;
  readonly path: string | (() => Promise<string>);
  /** Caseworker screens: touch targets ≥ 44 px checked at 360×740. */
  readonly field?: boolean;
  /** Screenshot name, for the main pages. */
  readonly screenshot?: string;
  /** Runs once the page is open (in English), before it is checked: a reveal… */
  readonly prepare?: (page: Page) => Promise<void>;
  /** Scrolled to the top of the screen (below the header) before each screenshot. */
  readonly scrollTo?: string;
}

/**
 * WCAG 2.2 AA in the real console (issue 19 "Done means" 3 and 4): every page, as each role that
 * reaches it, in every language the console offers, checked with axe-core (no serious or critical
 * violation of the WCAG 2.0/2.1/2.2 A and AA rules) and for raw translation keys; caseworker
 * screens also at phone size (360×740) for touch targets of at least 44×44 CSS px; the main pages
 * photographed in English and Thai at phone and desktop size into docs/screenshots/.
 */
describe('accessibility in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let logins: DemoLogin[];
  const axeFindings: string[] = [];
  const rawKeys: string[] = [];
  const small: string[] = [];
  const canaries: string[] = [];
  const checked: string[] = [];

  /**
   * Fails on what the checks so far found (serious or critical axe violations, raw keys, small
   * targets, canary names), printing page × language × rule × target, and starts afresh.
   */
  function expectNoFindings(): void {
    const found = [...axeFindings, ...rawKeys, ...small, ...canaries];
    for (const list of [axeFindings, rawKeys, small, canaries]) list.length = 0;
    expect(checked.length).toBeGreaterThan(0);
    checked.length = 0;
    if (found.length > 0) console.log(found.join('\n'));
    expect(found).toEqual([]);
  }

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    logins = readDemoLogins(dataDir);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harbour?.stop('SIGINT');
    removeDataDir(dataDir);
  });

  const login = (role: string): DemoLogin =>
    logins.find((l) => l.role === role && l.organisation === 'Harbour Demo Outreach')!;

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: DESKTOP });
    const page = await context.newPage();
    return { context, page };
  }

  async function settle(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle');
    await page.locator('main h1').first().waitFor();
    // Let animations (dialogs, menus, expanding panels) finish.
    await page.waitForTimeout(350);
  }

  /** Switches the console to `lang` through its language menu (unless it already is). */
  async function useLanguage(page: Page, lang: Lang): Promise<void> {
    const current = await page.evaluate(() => document.documentElement.lang);
    if (current === lang) return;
    await page.getByTestId('language-menu-button').click();
    await page.getByTestId(`language-option-${lang}`).click();
    await page.waitForFunction((code) => document.documentElement.lang === code, lang);
    await page.waitForLoadState('networkidle');
    await page.locator('.cdk-overlay-pane .mat-mdc-menu-panel').waitFor({ state: 'detached' });
    await page.waitForTimeout(250);
  }

  async function signIn(page: Page, role: string): Promise<void> {
    const user = login(role);
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();
  }

  const format = (findings: readonly AxeFinding[], where: string): string[] =>
    findings.map((f) => `${where} × ${f.rule} (${f.impact}) × ${f.target}: ${f.summary}`);

  /**
   * Back to the top of the page before axe looks: a screenshot scrolls the page, and a target
   * passing under the sticky header mid-scroll reads as "obscured". What is focused or scrolled
   * to is kept clear of the header by `scroll-padding-top` (styles.scss).
   */
  async function toTop(page: Page): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
  }

  /** Checks the open page in every language (and photographs it); `name` says which page. */
  async function checkEveryLanguage(page: Page, check: PageCheck): Promise<void> {
    for (const lang of LANGUAGES) {
      await useLanguage(page, lang);
      await toTop(page);
      const where = `${check.name} × ${lang}`;
      checked.push(where);
      axeFindings.push(...format(await runAxe(page), `${where} × desktop`));
      rawKeys.push(...(await rawKeysShown(page)).map((key) => `${where}: ${key}`));
      if (check.field || (check.screenshot && SCREENSHOT_LANGUAGES.includes(lang))) {
        await page.setViewportSize(PHONE);
        await page.waitForTimeout(350);
        await toTop(page);
        if (check.field) {
          axeFindings.push(...format(await runAxe(page), `${where} × phone`));
          small.push(
            ...(await smallTargets(page)).map(
              (t: SmallTarget) => `${where}: ${t.element} ${t.width}×${t.height}`,
            ),
          );
        }
        if (check.screenshot && SCREENSHOT_LANGUAGES.includes(lang)) {
          await photograph(page, `${check.screenshot}-${lang}-phone`, check.scrollTo);
          await page.setViewportSize(DESKTOP);
          await page.waitForTimeout(350);
          await photograph(page, `${check.screenshot}-${lang}-desktop`, check.scrollTo);
        }
        await page.setViewportSize(DESKTOP);
        await page.waitForTimeout(200);
      }
    }
    await useLanguage(page, 'en');
  }

  async function photograph(page: Page, file: string, scrollTo?: string): Promise<void> {
    if (scrollTo !== undefined) {
      await page
        .locator(scrollTo)
        .first()
        // A list's heading, when it has one, comes into view with it.
        .evaluate((element) => {
          const heading = element.previousElementSibling;
          (heading?.matches('h2, h3') ? heading : element).scrollIntoView({ block: 'start' });
        });
      await page.waitForTimeout(200);
    }
    const text = await page.evaluate(() => document.body.innerText);
    for (const name of CANARIES) if (holdsName(text, name)) canaries.push(`${file}: ${name}`);
    await page.screenshot({ path: join(SCREENSHOTS, `${file}.png`), animations: 'disabled' });
  }

  async function visit(page: Page, check: PageCheck): Promise<void> {
    const path = typeof check.path === 'string' ? check.path : await check.path();
    await page.goto(new URL(path, harbour.url).href, { waitUntil: 'networkidle' });
    await settle(page);
    if (check.prepare) {
      await check.prepare(page);
      await page.waitForTimeout(350);
    }
    await checkEveryLanguage(page, check);
  }

  it('checks the signed-out pages (sign-in, its MFA step)', async () => {
    const { context, page } = await newPage();
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await settle(page);
    await checkEveryLanguage(page, { name: 'sign-in', path: '/sign-in', screenshot: 'sign-in' });
    const user = login('caseworker');
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').waitFor();
    await settle(page);
    await checkEveryLanguage(page, { name: 'mfa', path: '/sign-in/mfa' });
    await context.close();
    expectNoFindings();
  }, 600_000);

  it("checks a caseworker's pages, at phone size too", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'caseworker');
    let personPath = '';
    const findPerson = async (): Promise<string> => {
      await page.goto(new URL('/people/mine', harbour.url).href, { waitUntil: 'networkidle' });
      // The first of their people (not restricted) with an identity to reveal.
      const open = page.getByTestId('my-person').filter({ hasNot: page.locator('.badge') });
      await open.first().waitFor();
      const hrefs: string[] = [];
      for (const link of await open.locator('a[href]').all())
        hrefs.push((await link.getAttribute('href')) ?? '');
      // Preferably one with referrals, for the referrals screenshot.
      for (const href of hrefs) {
        await page.goto(new URL(href, harbour.url).href, { waitUntil: 'networkidle' });
        await page.getByTestId('person-code').waitFor();
        if ((await page.getByTestId('reveal-identity').count()) === 0) continue;
        if (personPath === '') personPath = href;
        if ((await page.getByTestId('person-referrals').count()) > 0) {
          personPath = href;
          break;
        }
      }
      if (personPath === '') throw new Error("none of the caseworker's people has an identity");
      return personPath;
    };
    const pages: PageCheck[] = [
      { name: 'home', path: '/', field: true, screenshot: 'home' },
      { name: 'people', path: '/people', field: true, screenshot: 'people' },
      { name: 'my-people', path: '/people/mine', field: true },
      {
        name: 'person',
        path: findPerson,
        field: true,
        screenshot: 'person',
        prepare: async (p) => {
          await p.getByTestId('reveal-identity').click();
          await p.getByTestId('reveal-purpose').focus();
          await p.keyboard.press('Enter');
          await p.getByRole('option').first().click();
          await p.getByTestId('reveal-detail').fill(REVEAL_DETAIL);
          await p.getByTestId('reveal-confirm').click();
          await p.getByTestId('revealed-identity').waitFor();
        },
      },
      {
        name: 'referrals',
        path: () => Promise.resolve(personPath),
        field: true,
        screenshot: 'referrals',
        scrollTo: '[data-testid="person-referrals"], [data-testid="need-item"]',
      },
      { name: 'log-contact', path: '/contacts/new', field: true, screenshot: 'log-contact' },
      { name: 'intake', path: '/intake', field: true, screenshot: 'intake' },
      { name: 'partners', path: '/partners', field: true },
      { name: 'not-found', path: '/no-such-page' },
    ];
    for (const check of pages) await visit(page, check);

    // On a phone, a dialog sits at the bottom, its confirming action full-width and lowest.
    await page.setViewportSize(PHONE);
    await page.goto(new URL(personPath, harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('reveal-identity').click();
    const dialog = page.getByTestId('reveal-dialog');
    await dialog.waitFor();
    await page.waitForTimeout(350);
    axeFindings.push(...format(await runAxe(page), 'reveal-dialog × en × phone'));
    small.push(
      ...(await smallTargets(page)).map(
        (t) => `reveal-dialog × en: ${t.element} ${t.width}×${t.height}`,
      ),
    );
    const confirm = await page.getByTestId('reveal-confirm').boundingBox();
    const panel = await page.locator('.mat-mdc-dialog-panel').boundingBox();
    expect(confirm).not.toBeNull();
    expect(panel).not.toBeNull();
    expect(confirm!.y + confirm!.height).toBeGreaterThan(PHONE.height * 0.6);
    expect(confirm!.width).toBeGreaterThan(panel!.width * 0.8);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // On a phone, "Contact saved." is shown where the person is (they tapped Save at the
    // bottom of a long form) and in a polite live region.
    await page.setViewportSize(PHONE);
    await page.goto(new URL(personPath, harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('person-log-contact').click();
    await page.getByTestId('contact-existing-person').waitFor();
    await page.getByTestId('contact-location').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Drop-in centre', exact: true }).click();
    await page.getByTestId('log-contact-save').click();
    const notice = page.getByTestId('log-contact-notice');
    await notice.locator('.notice').waitFor();
    expect(await notice.getAttribute('role')).toBe('status');
    await page.waitForFunction(() => {
      const box = document
        .querySelector('[data-testid="log-contact-notice"] .notice')
        ?.getBoundingClientRect();
      return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight;
    });
    await context.close();
    expectNoFindings();
  }, 1_200_000);

  /** Records a disclosure request for one of the coordinator's people; returns its page. */
  async function recordDisclosure(page: Page): Promise<string> {
    await page.goto(new URL('/people/mine', harbour.url).href, { waitUntil: 'networkidle' });
    const code = (
      (await page.getByTestId('my-person').first().locator('a.code').textContent()) ?? ''
    ).trim();
    await page.goto(new URL('/disclosures/new', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('disclosure-authority-police').click();
    await page.getByTestId('disclosure-requester').fill('Duty sergeant (demo)');
    await page.getByTestId('disclosure-instrument').fill('Production order (demo)');
    await page.getByTestId('disclosure-advice').fill('Disclose only what the order names.');
    await page.getByTestId('disclosure-code-0').fill(code);
    await page.getByTestId('disclosure-field-contacts').click();
    const year = new Date().getUTCFullYear();
    await page.getByTestId('disclosure-from').fill(`${year - 1}-01-01`);
    await page.getByTestId('disclosure-to').fill(`${year}-12-31`);
    await page.getByTestId('disclosure-record-submit').click();
    await page.waitForURL(/\/disclosures\/[0-9a-f-]{36}$/);
    return new URL(page.url()).pathname;
  }

  it("checks a coordinator's pages", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'coordinator');
    const pages: PageCheck[] = [
      { name: 'reports', path: '/reports', screenshot: 'reports' },
      { name: 'disclosures', path: '/disclosures' },
      { name: 'record-disclosure', path: '/disclosures/new' },
      { name: 'disclosure', path: () => recordDisclosure(page) },
      { name: 'hand-over', path: '/people/hand-over' },
      { name: 'merge', path: '/people/merge' },
    ];
    for (const check of pages) await visit(page, check);
    await context.close();
    expectNoFindings();
  }, 900_000);

  it("checks an auditor's access log", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    await visit(page, { name: 'audit', path: '/audit', screenshot: 'audit' });
    await context.close();
    expectNoFindings();
  }, 600_000);

  it("checks an admin's pages", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    const pages: PageCheck[] = [
      { name: 'admin-users', path: '/admin/users', screenshot: 'admin' },
      { name: 'admin-organisation', path: '/admin/organisation' },
      { name: 'admin-keys', path: '/admin/keys' },
      { name: 'admin-canaries', path: '/admin/canaries' },
      { name: 'admin-retention', path: '/admin/retention' },
      { name: 'lockdown', path: '/lockdown' },
      { name: 'change-password', path: '/change-password' },
    ];
    for (const check of pages) await visit(page, check);
    await context.close();
    expectNoFindings();
  }, 900_000);
});
