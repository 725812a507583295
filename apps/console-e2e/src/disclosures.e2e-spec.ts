import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** 7-Zip (Debian package `7zip`): the tool a police station would open the file with. */
const SEVEN_ZIP = ['/usr/bin/7z', '/usr/bin/7zz'].find((path) => existsSync(path));
if (!SEVEN_ZIP && process.env['CI']) {
  throw new Error('7-Zip is required in CI to open the disclosure file (apt-get install 7zip)');
}

const PERSON = { given: 'Malee', family: 'Kittisak', dob: '1993-04-21' };

/**
 * A police request, end to end in Chromium: a coordinator records it for one person (given name
 * and contacts only) and starts the review; the recorder may not approve it, so a second
 * coordinator approves with step-up; with one approval the file is neither offered nor produced
 * ("second approval required", and the API refuses it); an admin signs in and approves with
 * step-up; the coordinator produces the file, is shown the passphrase once, downloads the file,
 * and 7-Zip opens it with that passphrase: the given name is in it, the family name and date of
 * birth (not asked for) are not.
 */
describe('disclosure requests in Chromium', () => {
  const dataDir = tempDataDir();
  const downloads = mkdtempSync(join(tmpdir(), 'harbour-disclosure-'));
  let harbour: HarbourProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let logins: DemoLogin[];
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
    rmSync(downloads, { recursive: true, force: true });
  });

  const byEmail = (email: string): DemoLogin => logins.find((l) => l.email === email)!;

  /** A new browser (own cookies), signed in as the demo account `email`. */
  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      // Expected answers: the session probe before sign-in (401), and the export the test
      // itself sends too early (409).
      if (message.type() === 'error' && /status of 40[19]\b/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    const user = byEmail(email);
    await page.goto(harbour.url, { waitUntil: 'networkidle' });
    await page.getByTestId('sign-in-email').fill(user.email);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('mfa-code-input').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('home-heading').waitFor();
    return page;
  }

  async function stepUp(page: Page, email: string): Promise<void> {
    const user = byEmail(email);
    await page.getByTestId('step-up-password').fill(user.password);
    await page.getByTestId('step-up-code').fill(await freshTotp(user.totpSecret));
    await page.getByTestId('step-up-submit').click();
  }

  async function choose(page: Page, testId: string, option: string): Promise<void> {
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  const COORDINATOR = 'coordinator@demo.harbour.test';
  const SECOND_COORDINATOR = 'coordinator2@demo.harbour.test';
  const ADMIN = 'admin@demo.harbour.test';

  let code = '';
  let requestPath = '';
  let coordinator: Page;

  it('a coordinator records a police request and starts the review; the recorder cannot approve', async () => {
    coordinator = await signedIn(COORDINATOR);
    const page = coordinator;

    // A person with a contact today: given name, family name and date of birth on record.
    await page.goto(new URL('/contacts/new', harbour.url).href, { waitUntil: 'networkidle' });
    await page.getByTestId('contact-person-new').click();
    await page.getByTestId('person-given-name').fill(PERSON.given);
    await page.getByTestId('person-family-name').fill(PERSON.family);
    await page.getByTestId('person-dob').fill(PERSON.dob);
    await choose(page, 'person-sex', 'Female');
    await choose(page, 'contact-location', 'Drop-in centre');
    await page.getByTestId('log-contact-save').click();
    const notice = page.getByTestId('log-contact-notice');
    await notice.getByText(/Contact saved for HB-/).waitFor();
    code = /HB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await notice.textContent()) ?? '')![0];

    // Record the request: the given name and contacts, last year and this one.
    await page.getByTestId('nav-disclosures').click();
    await page.getByTestId('disclosure-record-link').click();
    await page.getByTestId('disclosure-authority-police').click();
    await page.getByTestId('disclosure-requester').fill('Sgt Lee, Central police station');
    await page.getByTestId('disclosure-instrument').fill('Production order 2026/114');
    await page.getByTestId('disclosure-advice').fill('Disclose only what the order names.');
    await page.getByTestId('disclosure-code-0').fill(code.toLowerCase());
    await page.getByTestId('disclosure-field-givenName').click();
    await page.getByTestId('disclosure-field-contacts').click();
    const year = new Date().getUTCFullYear();
    await page.getByTestId('disclosure-from').fill(`${year - 1}-01-01`);
    await page.getByTestId('disclosure-to').fill(`${year}-12-31`);
    await page.getByTestId('disclosure-record-submit').click();
    await page.waitForURL(/\/disclosures\/[0-9a-f-]{36}$/);
    requestPath = new URL(page.url()).pathname;
    expect((await page.getByTestId('disclosure-detail-status').textContent())?.trim()).toBe(
      'Recorded',
    );
    expect((await page.getByTestId('disclosure-detail-codes').textContent())?.trim()).toBe(code);

    await page.getByTestId('disclosure-review').click();
    await page.getByTestId('disclosure-notice').getByText('The request is under review.').waitFor();
    expect(await page.getByTestId('disclosure-approve').count()).toBe(0);
    expect(await page.getByTestId('disclosure-approve-blocked').textContent()).toContain(
      'You recorded this request',
    );
  }, 180_000);

  it('a second coordinator approves with step-up; with one approval the file is neither offered nor produced', async () => {
    const second = await signedIn(SECOND_COORDINATOR);
    await second.goto(new URL(requestPath, harbour.url).href, { waitUntil: 'networkidle' });
    await second.getByTestId('disclosure-approve').click();
    await stepUp(second, SECOND_COORDINATOR);
    await second.getByTestId('disclosure-notice').getByText('Your approval is recorded.').waitFor();
    expect((await second.getByTestId('disclosure-approvals').textContent())?.trim()).toBe(
      '1 of 2 approvals — needs an admin',
    );
    expect(await second.getByTestId('disclosure-second-approval').textContent()).toContain(
      'Second approval required',
    );
    expect(await second.getByTestId('disclosure-produce').count()).toBe(0);

    // Asked directly, the API refuses to produce the file too.
    const refused = await second.evaluate(async (path) => {
      const token = /(?:^|; )__Host-XSRF-TOKEN=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const view = (await (await fetch(`/api${path}`)).json()) as { version: number };
      const response = await fetch(`/api${path}/export`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(token) },
        body: JSON.stringify({ version: view.version }),
      });
      return { status: response.status, code: ((await response.json()) as { code?: string }).code };
    }, requestPath);
    expect(refused).toEqual({ status: 409, code: 'disclosure_status' });
  }, 180_000);

  it('an admin approves with step-up, seeing no person data', async () => {
    const admin = await signedIn(ADMIN);
    await admin.getByTestId('nav-disclosures').click();
    await admin.locator(`a[href="${requestPath}"]`).click();
    await admin.getByTestId('disclosure-approve').waitFor();
    expect(await admin.locator('main').textContent()).not.toContain(PERSON.given);
    await admin.getByTestId('disclosure-approve').click();
    await stepUp(admin, ADMIN);
    await admin.getByTestId('disclosure-notice').getByText('Your approval is recorded.').waitFor();
    expect((await admin.getByTestId('disclosure-detail-status').textContent())?.trim()).toBe(
      'Approved',
    );
    // The file is the coordinators' to produce.
    expect(await admin.getByTestId('disclosure-produce').count()).toBe(0);
  }, 180_000);

  it('the coordinator produces the file: passphrase shown once, file downloaded, 7-Zip opens it with the selected fields only', async () => {
    const page = coordinator;
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByTestId('disclosure-produce').click();
    await stepUp(page, COORDINATOR);
    // The dialog opens before the file is made; the passphrase appears once it is.
    await page
      .getByTestId('disclosure-passphrase')
      .filter({ hasText: /\S/ })
      .waitFor({ timeout: 30_000 });
    const passphrase = (
      (await page.getByTestId('disclosure-passphrase').textContent()) ?? ''
    ).trim();
    expect(passphrase).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(await page.getByTestId('disclosure-passphrase-warning').textContent()).toContain(
      'separately from the file',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('disclosure-download').click(),
    ]);
    const zip = join(downloads, download.suggestedFilename());
    expect(download.suggestedFilename()).toMatch(/^disclosure-[0-9a-f-]{36}\.zip$/);
    await download.saveAs(zip);
    await page.getByTestId('disclosure-passphrase-done').click();
    // Shown once: gone when the dialog closes, and nowhere on the page after.
    await page.getByTestId('disclosure-passphrase').waitFor({ state: 'detached' });
    await page.getByTestId('disclosure-detail-status').getByText('Disclosed').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(passphrase);

    // The archive holds no plaintext.
    const bytes = readFileSync(zip);
    expect(bytes.includes(Buffer.from(PERSON.given))).toBe(false);

    // The person page now says a disclosure happened.
    await page.getByTestId('nav-people').click();
    await page.getByTestId('find-name').fill(`${PERSON.given} ${PERSON.family}`);
    await page.getByTestId('find-submit').click();
    await page.getByTestId('find-result').filter({ hasText: code }).click();
    await page
      .getByTestId('person-disclosures')
      .getByText(/Disclosed to Police on/)
      .waitFor();

    if (!SEVEN_ZIP) {
      console.warn('disclosures.e2e-spec: 7-Zip not found (apt-get install 7zip); not opened');
    } else {
      const wrong = spawnSync(SEVEN_ZIP, ['t', '-pWRONG-PASSPHRASE', zip], { encoding: 'utf8' });
      expect(wrong.status).not.toBe(0);
      const out = join(downloads, 'out');
      const run = spawnSync(SEVEN_ZIP, ['x', `-p${passphrase}`, `-o${out}`, '-y', zip], {
        encoding: 'utf8',
      });
      expect(run.stdout).toContain('Everything is Ok');
      expect(readdirSync(out).sort()).toEqual(['README.txt', 'disclosure.html', 'disclosure.json']);
      const json = readFileSync(join(out, 'disclosure.json'), 'utf8');
      const everything = ['README.txt', 'disclosure.html', 'disclosure.json']
        .map((name) => readFileSync(join(out, name), 'utf8'))
        .join('\n');
      // Only the person asked about, with only the fields asked for.
      const people = (JSON.parse(json) as { people: Record<string, unknown>[] }).people;
      expect(people).toHaveLength(1);
      expect(people[0]!['code']).toBe(code);
      expect(Object.keys(people[0]!).sort()).toEqual(['code', 'contacts', 'identity']);
      expect(people[0]!['identity']).toEqual({ givenName: PERSON.given });
      for (const absent of [PERSON.family, PERSON.dob]) expect(everything).not.toContain(absent);
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
