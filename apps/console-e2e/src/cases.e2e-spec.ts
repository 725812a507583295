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

// Synthetic people, made up for this test (never real names).
const PERSON = { given: 'Wanida', family: 'Thongchai', dob: '1994-05-17' };
const INTAKE_NAMES = ['Lan Pham', 'Minh Tran', 'Hoa Le', 'Thu Vo', 'Ngoc Bui'];
/** The reveal's purpose category (what the log keeps) and words added to it (kept encrypted). */
const PURPOSE = 'Booking or attending an appointment';
const DETAIL = 'Clinic booking on Tuesday (e2e detail)';
/** A made-up name for a decoy record (not one of the canary names of the at-rest scans). */
const DECOY = { given: 'Chalida', family: 'Sombatsiri' };

/**
 * A caseworker's day in the real console (docs/design.md §3–§5, issue 6 "Done means" 7): log an
 * individual contact with a need for a new person, find the person again from a differently
 * written name, reveal identity with a purpose, refer the need with consent and move the
 * referral to completed; record a post-raid intake of five people. Then the auditor finds
 * each of those accesses in the access log.
 */
describe('case records in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let logins: DemoLogin[];
  /** The page of one person of the intake (erased by the coordinator). */
  let intakePersonPath = '';

  beforeAll(async () => {
    harbour = await startHarbour(dataDir);
    logins = readDemoLogins(dataDir);
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB' });
    page = await context.newPage();
    problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /status of 40[13]\b/.test(message.text())) return;
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

  const login = (role: string): DemoLogin =>
    logins.find((l) => l.role === role && l.organisation === 'Harbour Demo Outreach')!;

  async function signIn(role: string): Promise<void> {
    const user = login(role);
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();
  }

  async function signOut(): Promise<void> {
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-email').waitFor();
  }

  /** Opens a Material select from the keyboard and picks the option with this text. */
  async function choose(testId: string, option: string): Promise<void> {
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  async function go(path: string): Promise<void> {
    await page.goto(new URL(path, harbour.url).href, { waitUntil: 'networkidle' });
  }

  /** Every identity value typed in this test. */
  const typedIdentity = [PERSON.given, PERSON.family, ...INTAKE_NAMES.flatMap((n) => n.split(' '))];

  /**
   * Whether `text` shows `value`: a name in Latin letters as a word of its own (the alias "Lan"
   * is not in "Language changed"), any other script anywhere (Thai and Han run words together).
   */
  function shows(text: string, value: string): boolean {
    if (!/^[A-Za-z\u00C0-\u024F'-]+$/.test(value)) return text.includes(value);
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
  }

  it('logs a contact, finds the person again, reveals identity, refers with consent to completion', async () => {
    await signIn('caseworker');

    // Log an individual contact for a new person, with a legal need.
    await go('/contacts/new');
    await page.getByTestId('contact-person-new').click();
    await page.getByTestId('person-given-name').fill(PERSON.given);
    await page.getByTestId('person-family-name').fill(PERSON.family);
    await page.getByTestId('person-dob').fill(PERSON.dob);
    await choose('person-sex', 'Female');
    await choose('contact-location', 'Drop-in centre');
    await page.getByTestId('need-legal').click();
    await page.getByTestId('circumstance-visa_concern').click();
    await page.getByTestId('contact-notes').fill('Worried about a visa letter; wants advice.');
    await page.getByTestId('log-contact-save').click();
    const notice = page.getByTestId('log-contact-notice');
    await notice.getByText(/Contact saved for HB-/).waitFor();
    const code = /HB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await notice.textContent()) ?? '')?.[0];
    expect(code).toBeDefined();
    // Identity never reaches the address bar.
    for (const value of typedIdentity) expect(page.url()).not.toContain(value);

    // Find the person again: other order, other case, extra spaces.
    await page.getByTestId('nav-people').click();
    await page
      .getByTestId('find-name')
      .fill(`  ${PERSON.family.toUpperCase()}   ${PERSON.given.toLowerCase()} `);
    await page.getByTestId('find-submit').click();
    await page.getByTestId('find-result').filter({ hasText: code! }).click();
    await page.getByTestId('person-code').getByText(code!).waitFor();
    for (const value of typedIdentity) expect(page.url()).not.toContain(value);
    // Nothing identifying is shown until it is revealed with a purpose.
    expect(await page.locator('main').textContent()).not.toContain(PERSON.given);

    await page.getByTestId('reveal-identity').click();
    await page.getByTestId('reveal-confirm').click();
    // A purpose is required, chosen from the list; the detail's hint warns against names.
    await page.getByText('Choose why you need to see the identity').waitFor();
    await page.getByText('Do not write a name').waitFor();
    await choose('reveal-purpose', PURPOSE);
    await page.getByTestId('reveal-detail').fill(DETAIL);
    await page.getByTestId('reveal-confirm').click();
    await page.getByTestId('revealed-givenName').getByText(PERSON.given).waitFor();
    expect(await page.getByTestId('revealed-familyName').textContent()).toContain(PERSON.family);
    await page.getByTestId('hide-identity').click();
    await page.getByTestId('reveal-identity').waitFor();

    // The contact's note is not shown until asked for; read back, then hidden again.
    expect(await page.locator('main').textContent()).not.toContain('Worried about a visa letter');
    await page.getByTestId('timeline-contact').getByTestId('read-note').click();
    await page
      .getByTestId('timeline-note')
      .getByText('Worried about a visa letter; wants advice.')
      .waitFor();
    await page.getByTestId('hide-note').click();
    await page.getByTestId('timeline-contact').getByTestId('read-note').waitFor();

    // Record the person's consent to be texted.
    await choose('consent-purpose', 'Being contacted by text message');
    await page.getByTestId('consent-record').click();
    await page
      .locator('[data-testid="consents-in-force"] li[data-purpose="contact_by_text"]')
      .waitFor();

    // Refer the legal need with consent.
    const need = page.locator('[data-testid="need-item"][data-category="legal"]');
    await need.getByTestId('need-refer').click();
    await page.getByTestId('refer-partner').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('refer-partner-option').first().click();
    await page.getByTestId('consent-given').locator('input').check();
    await page.getByTestId('consent-method-written').locator('input').check();
    await page.getByTestId('refer-confirm').click();
    const referral = page.getByTestId('referral-item').first();
    await page.locator('[data-testid="referral-item"][data-status="consented"]').waitFor();

    // Move it on: sent, accepted, completed.
    for (const to of ['sent', 'accepted', 'completed']) {
      await referral.getByTestId('referral-move').click();
      await page.getByTestId(`transition-to-${to}`).locator('input').check();
      await page.getByTestId('transition-confirm').click();
      await page.locator(`[data-testid="referral-item"][data-status="${to}"]`).waitFor();
    }
    expect(await referral.getByTestId('referral-status').textContent()).toContain('Completed');
    // The timeline shows the contact and each step of the referral.
    await page.getByTestId('timeline-referral').nth(4).waitFor();
    expect(await page.getByTestId('timeline-referral').count()).toBe(5);
    expect(await page.getByTestId('timeline-contact').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('records a post-raid intake of five people in one go', async () => {
    await go('/intake');
    await page.getByTestId('intake-heading').waitFor();
    await choose('intake-location', 'Police station');
    for (let i = 1; i < INTAKE_NAMES.length; i += 1)
      await page.getByTestId('intake-add-person').click();
    const rows = page.getByTestId('intake-row');
    // Rendering follows the click asynchronously: wait for the fifth row before counting.
    await rows.nth(INTAKE_NAMES.length - 1).waitFor();
    expect(await rows.count()).toBe(5);
    for (const [i, name] of INTAKE_NAMES.entries()) {
      const [given, family] = name.split(' ');
      await rows.nth(i).getByTestId('intake-given-name').fill(given!);
      await rows.nth(i).getByTestId('intake-family-name').fill(family!);
    }
    // One bad row: the browser marks its date of birth, says which days it may take, and
    // nothing is sent.
    await rows.nth(3).getByTestId('intake-dob').fill('2099-01-01');
    await page.getByTestId('intake-save').click();
    const dobError = rows.nth(3).locator('mat-error');
    await dobError.first().waitFor();
    expect(await dobError.first().textContent()).toMatch(
      /^\s*Enter a date between .+ and .+\.\s*$/,
    );
    expect(await rows.nth(3).getByTestId('intake-dob').getAttribute('aria-invalid')).toBe('true');
    expect(problems).toEqual([]);

    await rows.nth(3).getByTestId('intake-dob').fill('');
    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-codes').waitFor();
    expect(await page.getByTestId('intake-codes').locator('li').count()).toBe(5);
    intakePersonPath = new URL(
      (await page.getByTestId('intake-codes').locator('a').first().getAttribute('href'))!,
      harbour.url,
    ).pathname;
    expect(problems).toEqual([]);
    await signOut();
  });

  it('lets a coordinator erase a person at their request, after a step-up', async () => {
    await signIn('coordinator');
    await go(intakePersonPath);
    const code = ((await page.getByTestId('person-code').textContent()) ?? '').trim();
    await page.getByTestId('erase-person').click();
    // The wrong code keeps the button disabled.
    await page.getByTestId('erase-code').fill('HB-0000-0000');
    expect(await page.getByTestId('erase-confirm').isDisabled()).toBe(true);
    await page.getByTestId('erase-code').fill(code.toLowerCase());
    await page.getByTestId('erase-confirm').click();
    const coordinator = login('coordinator');
    await page.getByTestId('step-up-password').fill(coordinator.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(coordinator.totpSecret));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('erase-receipt').getByText(`Erasure receipt for ${code}`).waitFor();
    // The receipt counts what was done, cancelled follow-ups among them.
    expect(await page.getByTestId('erase-receipt').textContent()).toMatch(
      /Keys destroyed: 1\. .*Open follow-ups cancelled: \d+\./,
    );
    await page.getByTestId('person-erased').waitFor();
    expect(await page.getByTestId('reveal-identity').count()).toBe(0);
    // Someone erased who comes back is a new person: no contact can be logged against this record.
    expect(await page.getByTestId('person-log-contact').count()).toBe(0);
    expect(problems).toEqual([]);
    await signOut();
  });

  let decoyCode = '';

  it('lets an admin plant a decoy record, which a caseworker finds and opens like any person', async () => {
    await signIn('admin');
    await page.getByTestId('nav-canaries').click();
    await page.getByTestId('plant-canary-button').click();
    await page.getByTestId('canary-given').fill(DECOY.given);
    await page.getByTestId('canary-family').fill(DECOY.family);
    await page.getByTestId('plant-canary-submit').click();
    // Planting always needs step-up: asked for first.
    const admin = login('admin');
    await page.getByTestId('step-up-password').fill(admin.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(admin.totpSecret));
    await page.getByTestId('step-up-submit').click();
    const notice = page.getByTestId('canaries-notice');
    await notice.getByText(/Decoy HB-/).waitFor();
    decoyCode = /HB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await notice.textContent()) ?? '')?.[0] ?? '';
    expect(decoyCode).not.toBe('');
    await signOut();

    await signIn('caseworker');
    await page.getByTestId('nav-people').click();
    await page.getByTestId('find-name').fill(`${DECOY.given} ${DECOY.family}`);
    await page.getByTestId('find-submit').click();
    await page.getByTestId('find-result').filter({ hasText: decoyCode }).click();
    await page.getByTestId('person-code').getByText(decoyCode).waitFor();
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(/decoy|canary/i);
    expect(problems).toEqual([]);
    await signOut();
  });

  it('shows the auditor those accesses in the access log, with the purpose category only', async () => {
    await signIn('auditor');
    await page.getByTestId('nav-audit').click();
    await page.locator('[data-testid="chain-status"][data-status="verified"]').waitFor();
    // Flags first: the decoy opened above, and none raised by the product's own flows (refused
    // requests, id sweeps, many reveals). Off-hours flags depend on when this runs.
    await page.locator('[data-testid="anomalies"][data-state="ready"]').waitFor();
    await page
      .locator('[data-testid^="anomaly-canary_access-"][data-status="open"]')
      .filter({ hasText: decoyCode })
      .waitFor();
    for (const kind of ['repeated_denials', 'id_sweep', 'many_reveals']) {
      expect({
        kind,
        flags: await page.locator(`[data-testid^="anomaly-${kind}-"]`).count(),
      }).toEqual({ kind, flags: 0 });
    }
    for (const action of [
      'contact.created',
      'person.looked_up',
      'person.identity_revealed',
      'referral.transitioned',
      'consent.recorded',
      'intake.recorded',
    ]) {
      await page.getByTestId('filter-action').selectOption(action);
      await page.getByTestId('filter-apply').click();
      await page.locator('[data-testid^="event-row-"]').first().waitFor();
      await page.getByText('Demo Caseworker').first().waitFor();
    }
    await page.getByTestId('filter-action').selectOption('person.erased');
    await page.getByTestId('filter-apply').click();
    await page.getByText('Demo Coordinator').first().waitFor();
    await page.getByTestId('filter-action').selectOption('person.identity_revealed');
    await page.getByTestId('filter-apply').click();
    await page.locator('[data-purpose="appointment"]').getByText(PURPOSE).first().waitFor();
    // The log names what was revealed, never the values; the detail stays with the person.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('givenName');
    expect(text).not.toContain(DETAIL);
    expect(typedIdentity.filter((value) => shows(text, value))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
