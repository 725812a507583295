import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import {
  removeDataDir,
  startHarbour,
  tempDataDir,
  type HarbourProcess,
} from './support/harbour-process';
import { readDemoLogins, type DemoLogin } from './support/demo-logins';
import { freshTotp } from './support/totp';

/** Made-up notes typed in this test (never about a real person). */
const FIRST_NOTE = 'Asked about the drop-in hours next week (e2e note).';
const NEW_NOTE = 'Brought the housing forms; will call on Monday (e2e note).';
/** The reveal's purpose category for the merge (what the access log keeps). */
const PURPOSE = 'Checking or correcting their details';
/** A demo duplicate pair (apps/api/src/app/seed/demo-duplicates.ts): synthetic names. */
const PAIR = { given: ['Kannika', 'Kanika'], family: 'Boonsri', dob: '1991-05-14' };
const PEER = 'Demo Peer Worker';
const CASEWORKER = 'Demo Caseworker';

/**
 * A caseworker's day with follow-ups, key workers and a coordinator's merge, in the real console
 * (issue 17 "Done means" 1): the caseworker opens the day view, opens a person from a due
 * follow-up, reads their last note, logs a contact, completes the follow-up and hands the person
 * to a colleague; the coordinator merges two records of the same person and sees one timeline.
 */
describe('caseload in Chromium', () => {
  const dataDir = tempDataDir();
  let harbour: HarbourProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let logins: DemoLogin[];
  /** The person opened from the day view and the follow-up completed for them. */
  let personPath = '';
  let followUpText = '';

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

  const text = async (locator: Locator): Promise<string> =>
    ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

  /** Waits for the person page's key-workers panel to have loaded. */
  async function keyWorkersLoaded(): Promise<void> {
    await page
      .locator('[data-testid="key-worker-list"], [data-testid="key-workers-none"]')
      .first()
      .waitFor();
  }

  /** Logs an individual contact for the person whose page is open, from that page. */
  async function logContact(notes: string): Promise<void> {
    const code = await text(page.getByTestId('person-code'));
    await page.getByTestId('person-log-contact').click();
    await page.getByTestId('contact-existing-person').getByText(code).waitFor();
    await choose('contact-location', 'Drop-in centre');
    await page.getByTestId('contact-notes').fill(notes);
    await page.getByTestId('log-contact-save').click();
    await page.getByTestId('log-contact-notice').getByText(`Contact saved for ${code}`).waitFor();
    await page.getByTestId('log-contact-open-person').click();
    await page.getByTestId('person-code').getByText(code).waitFor();
    await page.getByTestId('timeline-contact').first().waitFor();
  }

  it('shows the caseworker a due follow-up on the day view and opens the person from it', async () => {
    await signIn('caseworker');
    const due = page.getByTestId('day-due').getByTestId('day-follow-up');
    await due.first().waitFor();
    const count = await due.count();
    expect(count).toBeGreaterThan(0);
    // A follow-up due today or overdue whose person the caseworker may hand over (the demo
    // restricts one of their people: only a coordinator hands that one over).
    for (let i = 0; i < count && personPath === ''; i += 1) {
      const item = due.nth(i);
      const what = await text(item.locator('.what'));
      if ((await due.filter({ hasText: what }).count()) !== 1) continue;
      await item.getByTestId('day-open-person').click();
      await page.getByTestId('person-code').waitFor();
      await keyWorkersLoaded();
      if ((await page.getByTestId('restricted-badge').count()) === 0) {
        personPath = new URL(page.url()).pathname;
        followUpText = what;
      } else {
        await page.getByTestId('nav-home').click();
        await due.first().waitFor();
      }
    }
    expect(personPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    await page
      .getByTestId('person-follow-ups')
      .getByTestId('follow-up-item')
      .filter({ hasText: followUpText })
      .waitFor();
    expect(problems).toEqual([]);
  });

  it("reads the person's last note, then logs a contact that appears on the timeline", async () => {
    // The demo writes notes on some contacts only: give this person one if they have none.
    if ((await page.getByTestId('person-timeline').getByTestId('read-note').count()) === 0) {
      await logContact(FIRST_NOTE);
    }
    // The timeline is newest first: the first note offered is the last one written.
    const last = page
      .getByTestId('timeline-contact')
      .filter({ has: page.getByTestId('read-note') });
    await last.first().getByTestId('read-note').click();
    const note = page.getByTestId('timeline-note').first();
    await note.locator('.note-text').waitFor();
    expect(await text(note.locator('.note-text'))).not.toBe('');
    await page.getByTestId('hide-note').click();

    const before = await page.getByTestId('timeline-contact').count();
    await logContact(NEW_NOTE);
    await page.getByTestId('timeline-contact').nth(before).waitFor();
    expect(await page.getByTestId('timeline-contact').count()).toBe(before + 1);
    // The new contact is the newest line, and its note reads back.
    const newest = page.getByTestId('timeline-contact').first();
    await newest.getByTestId('read-note').click();
    await newest.getByTestId('timeline-note').getByText(NEW_NOTE).waitFor();
    expect(problems).toEqual([]);
  });

  it('completes the follow-up, which leaves the open list and the day view', async () => {
    const panel = page.getByTestId('person-follow-ups');
    const open = panel.getByTestId('follow-ups-open').getByTestId('follow-up-item');
    await open.filter({ hasText: followUpText }).getByTestId('follow-up-done').click();
    await panel
      .getByTestId('follow-ups-closed')
      .locator('li[data-status="done"]')
      .filter({ hasText: followUpText })
      .waitFor();
    expect(await open.filter({ hasText: followUpText }).count()).toBe(0);

    // The day view shows what it had at once and reads the day again: the follow-up goes.
    await page.getByTestId('nav-home').click();
    await page
      .getByTestId('day-due')
      .getByTestId('day-follow-up')
      .filter({ hasText: followUpText })
      .waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('hands the person over to a colleague', async () => {
    await go(personPath);
    await keyWorkersLoaded();
    const workers = page.getByTestId('key-worker-list').getByTestId('key-worker');
    // The demo leaves some people without the caseworker as key worker: take them on first.
    if ((await page.getByTestId('become-key-worker').count()) > 0) {
      await page.getByTestId('become-key-worker').click();
      await workers.filter({ hasText: CASEWORKER }).waitFor();
    }
    expect(await workers.filter({ hasText: CASEWORKER }).count()).toBe(1);
    await choose('hand-over-to-colleague', PEER);
    await page.getByTestId('hand-over-person').click();
    await workers.filter({ hasText: PEER }).waitFor();
    // The caseworker is no longer a key worker of this person: the peer worker is instead.
    await workers.filter({ hasText: CASEWORKER }).waitFor({ state: 'detached' });
    expect(await workers.filter({ hasText: CASEWORKER }).count()).toBe(0);
    expect(await workers.filter({ hasText: PEER }).count()).toBe(1);
    expect(problems).toEqual([]);
    await signOut();
  });

  it('lets the coordinator merge two records of the same person into one timeline', async () => {
    await signIn('coordinator');
    // Find the pair by name, date of birth and sex (the SLK-581): both records answer.
    await page.getByTestId('nav-people').click();
    await page.getByTestId('find-name').fill(`${PAIR.given[0]} ${PAIR.family}`);
    await page.getByTestId('find-dob').fill(PAIR.dob);
    await choose('find-sex', 'Female');
    await page.getByTestId('find-submit').click();
    const results = page.getByTestId('find-result');
    await results.nth(1).waitFor();
    const codes = [await text(results.nth(0)), await text(results.nth(1))].map(
      (t) => /HB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(t)?.[0] ?? '',
    );
    const [keptCode, goneCode] = codes as [string, string];
    expect(keptCode).not.toBe('');
    expect(goneCode).not.toBe('');

    // The result links carry ids only (the search itself is never in the address bar).
    const [keptPath, gonePath] = [
      new URL((await results.nth(0).getAttribute('href'))!, harbour.url).pathname,
      new URL((await results.nth(1).getAttribute('href'))!, harbour.url).pathname,
    ];

    // Each record holds contacts of its own.
    await go(gonePath);
    await page.getByTestId('person-code').getByText(goneCode).waitFor();
    await page.getByTestId('timeline-contact').first().waitFor();
    const goneContacts = await page.getByTestId('timeline-contact').count();
    await go(keptPath);
    await page.getByTestId('person-code').getByText(keptCode).waitFor();
    await page.getByTestId('timeline-contact').first().waitFor();
    const keptContacts = await page.getByTestId('timeline-contact').count();

    await page.getByTestId('person-merge').click();
    await page.getByTestId('merge-other-code').fill(goneCode.toLowerCase());
    await page.getByTestId('merge-find').click();
    await page.getByTestId('merge-survivor').getByText(keptCode).waitFor();
    await page.getByTestId('merge-absorbed').getByText(goneCode).waitFor();

    // Identity only after a reveal with a purpose; the two spellings of the given name show.
    await page.getByTestId('merge-reveal').click();
    await choose('reveal-purpose', PURPOSE);
    await page.getByTestId('reveal-confirm').click();
    const givenName = page.locator('.row[data-field="givenName"]');
    await givenName.waitFor();
    const shown = await text(givenName);
    for (const given of PAIR.given) expect(shown).toContain(given);
    expect(await text(page.locator('.row[data-field="familyName"]'))).toContain(PAIR.family);
    // Keep the survivor's spelling explicitly.
    await givenName.locator('mat-button-toggle').first().locator('button').click();

    // Confirm by typing the absorbed record's code, then step up.
    expect(await page.getByTestId('merge-confirm').isDisabled()).toBe(true);
    await page.getByTestId('merge-code').fill(goneCode);
    await page.getByTestId('merge-confirm').click();
    const coordinator = login('coordinator');
    await page.getByTestId('step-up-password').fill(coordinator.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(coordinator.totpSecret));
    await page.getByTestId('step-up-submit').click();

    // The survivor's page, with the contacts of both records on its timeline.
    await page.waitForURL((url) => url.pathname === keptPath);
    await page.getByTestId('person-code').getByText(keptCode).waitFor();
    await page
      .getByTestId('timeline-contact')
      .nth(keptContacts + goneContacts - 1)
      .waitFor();
    expect(await page.getByTestId('timeline-contact').count()).toBe(keptContacts + goneContacts);
    expect(await page.getByTestId('person-merged').count()).toBe(0);
    // Every note moved with its contact and reads back under the survivor.
    const timeline = page.getByTestId('person-timeline');
    const noted = await timeline.getByTestId('read-note').count();
    expect(noted).toBe(keptContacts + goneContacts);
    for (let i = 0; i < noted; i += 1) {
      await timeline.getByTestId('read-note').first().click();
      await timeline.locator('.note-text').nth(i).waitFor();
    }
    expect(await timeline.getByTestId('timeline-note').count()).toBe(noted);
    expect(await timeline.locator('.note-text').count()).toBe(noted);

    // The absorbed record says where its person lives on, and leads there.
    await go(gonePath);
    await page.getByTestId('person-merged').getByText(keptCode).first().waitFor();
    await page.getByTestId('person-merged-open').click();
    await page.getByTestId('person-code').getByText(keptCode).waitFor();
    expect(problems).toEqual([]);
    await signOut();
  });
});
