import { BreakpointObserver } from '@angular/cdk/layout';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import {
  AUDIT_ACTIONS,
  type AccessEventView,
  type AuditAnomaly,
  type AuditVerification,
} from '@harbour/domain';
import { of } from 'rxjs';
import en from '../../../../assets/i18n/en.json';
import {
  accessEvent,
  anomaly,
  BEN_ID,
  CHI_ID,
  eventRange,
  fakeSha256,
  provenEvent,
  verification,
} from '../../../../testing/audit';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import { AuditStore } from '../data/audit.store';
import { SHA256 } from '../data/inclusion-proof';
import { AccessLogPage } from './access-log-page';

/** A time as the page shows it in English (date and time to the second). */
function shown(iso: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(
    Date.parse(iso),
  );
}

function text(testId: string): string {
  return byTestId(testId).textContent.replace(/\s+/g, ' ').trim();
}

describe('AccessLogPage', () => {
  let fixture: ComponentFixture<AccessLogPage>;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;

  async function setUp(wide = true): Promise<void> {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      imports: [AccessLogPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        AuditStore,
        { provide: MatSnackBar, useValue: snackBar },
        { provide: SHA256, useValue: fakeSha256 },
        {
          provide: BreakpointObserver,
          useValue: {
            observe: () => of({ matches: wide, breakpoints: {} }),
            isMatched: () => wide,
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['auditor'] }));
    fixture = TestBed.createComponent(AccessLogPage);
    await fixture.whenStable();
  }

  /** Answers the three requests the page makes on opening. */
  async function load(
    options: {
      chain?: AuditVerification;
      anomalies?: AuditAnomaly[];
      events?: readonly AccessEventView[];
      nextBefore?: number | null;
    } = {},
  ): Promise<void> {
    backend.expectOne('/api/audit/verify').flush(options.chain ?? verification());
    backend.expectOne('/api/audit/anomalies').flush(options.anomalies ?? [anomaly()]);
    expectEvents().flush({
      events: options.events ?? eventRange(120, 71),
      nextBefore: options.nextBefore === undefined ? 71 : options.nextBefore,
    });
    await stable();
  }

  afterEach(() => {
    backend.verify();
  });

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
  }

  async function click(testId: string): Promise<void> {
    byTestId<HTMLButtonElement>(testId).click();
    await stable();
  }

  function expectEvents(): TestRequest {
    return backend.expectOne((request) => request.url === '/api/audit/events');
  }

  function params(request: TestRequest): Record<string, string> {
    const { params } = request.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  function choose(testId: string, value: string): void {
    const select = byTestId<HTMLSelectElement>(testId);
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  function rowIds(): (string | undefined)[] {
    return [...document.querySelectorAll<HTMLElement>('[data-testid^="event-row-"]')].map(
      (row) => row.dataset['testid'],
    );
  }

  describe('integrity', () => {
    beforeEach(async () => {
      await setUp();
    });

    it('checks the log first, then says it is verified, with its size and last checkpoint', async () => {
      expect(byTestId('chain-status').dataset['status']).toBe('loading');
      expect(byTestId<HTMLButtonElement>('verify-button').disabled).toBe(true);

      await load();

      expect(byTestId('chain-status').dataset['status']).toBe('verified');
      expect(text('chain-summary')).toBe(
        `Log verified: 1,234 events, last checkpoint at ${shown('2026-01-05T09:55:00.000Z')} (size 1,200).`,
      );
      expect(byTestId<HTMLButtonElement>('verify-button').disabled).toBe(false);
    });

    it('raises an alarm with the first bad index when verification fails, and verifies again', async () => {
      await load({
        chain: verification({
          status: 'failed',
          firstBadIndex: 17,
          problem: 'leaf_hash_mismatch',
        }),
      });

      const card = byTestId('chain-status');
      expect(card.dataset['status']).toBe('failed');
      expect(card.textContent).toContain(en.audit.chain.failedTitle);
      expect(text('chain-first-bad-index')).toBe('First bad entry: index 17.');
      expect(text('chain-problem')).toBe('leaf_hash_mismatch');
      expect(card.querySelector('[aria-live]')?.getAttribute('aria-live')).toBe('assertive');
      expect(maybeByTestId('chain-summary')).toBeNull();

      await click('verify-button');
      expect(byTestId('chain-status').dataset['status']).toBe('loading');
      backend.expectOne('/api/audit/verify').flush(verification());
      await stable();

      expect(byTestId('chain-status').dataset['status']).toBe('verified');
      expect(maybeByTestId('chain-first-bad-index')).toBeNull();
    });

    it('shows the newest events no checkpoint covers yet, and the witness copy the log was checked against', async () => {
      await load();

      expect(text('chain-tail')).toBe(
        'The newest 34 events are not covered by a signed checkpoint yet; the oldest was logged 25 seconds ago. A checkpoint covers every event within a minute.',
      );
      expect(maybeByTestId('chain-tail-stale')).toBeNull();
      expect(text('chain-witness')).toBe(
        `Checked against the copy held outside the database: a checkpoint of 1,200 events signed at ${shown('2026-01-05T09:55:00.000Z')}. Events not yet in that copy: 34.`,
      );
    });

    it('warns when the uncovered tail is older than checkpoints allow, or no witness copy was read, also beside a failure', async () => {
      await load({
        chain: verification({
          status: 'failed',
          firstBadIndex: 40,
          problem: 'events from index 40 on are missing',
          witness: { source: 'none', treeSize: null, signedAt: null },
          tail: {
            events: 3,
            since: '2026-01-05T09:40:00.000Z',
            ageSeconds: 900,
            unwitnessedEvents: 43,
          },
        }),
      });

      expect(text('chain-tail')).toContain('The newest 3 events');
      expect(text('chain-tail')).toContain('900 seconds ago');
      expect(text('chain-tail-stale')).toBe(en.audit.chain.tailStale);
      expect(text('chain-witness')).toBe(en.audit.chain.noWitness);
    });

    it('says when every event is covered', async () => {
      await load({
        chain: verification({
          tail: { events: 0, since: null, ageSeconds: null, unwitnessedEvents: 0 },
        }),
      });

      expect(text('chain-tail')).toBe(en.audit.chain.tailNone);
      expect(maybeByTestId('chain-tail-stale')).toBeNull();
    });

    it('says which events retention removed, when the log was pruned', async () => {
      await load({
        chain: verification({ pruned: { before: 5000, newestAt: '2019-03-01T10:00:00.000Z' } }),
      });

      expect(text('chain-pruned')).toBe(
        `Events before index 5,000 were removed on the retention schedule (the newest of them from ${shown('2019-03-01T10:00:00.000Z')}); the log is checked from there, against the signed checkpoint that covered them.`,
      );
    });

    it('says nothing of pruning when nothing was pruned', async () => {
      await load();

      expect(maybeByTestId('chain-pruned')).toBeNull();
    });

    it('says when the log has no checkpoint yet', async () => {
      await load({ chain: verification({ checkedEvents: 3, latestCheckpoint: null }) });

      expect(text('chain-summary')).toBe(
        'Log verified: 3 events. No checkpoint has been signed yet.',
      );
    });

    it('tells a check that could not run apart from a failed one', async () => {
      backend
        .expectOne('/api/audit/verify')
        .flush(apiError('service_unavailable'), { status: 503, statusText: 'Unavailable' });
      backend.expectOne('/api/audit/anomalies').flush([]);
      expectEvents().flush({ events: [], nextBefore: null });
      await stable();

      expect(byTestId('chain-status').dataset['status']).toBe('error');
      expect(text('chain-error')).toContain(en.audit.chain.error);
    });
  });

  describe('filters', () => {
    beforeEach(async () => {
      await setUp();
      await load();
    });

    it('applies what the form says', async () => {
      type(byTestId<HTMLInputElement>('filter-actor'), ` ${BEN_ID} `);
      choose('filter-action', 'auth.sign_in_failed');
      type(byTestId<HTMLInputElement>('filter-resource'), 'P-7K2Q9');
      choose('filter-outcome', 'denied');
      type(byTestId<HTMLInputElement>('filter-from'), '2026-01-01');
      type(byTestId<HTMLInputElement>('filter-to'), '2026-01-05');
      await click('filter-apply');

      const request = expectEvents();
      expect(params(request)).toEqual({
        actor: BEN_ID,
        action: 'auth.sign_in_failed',
        resource: 'P-7K2Q9',
        outcome: 'denied',
        from: new Date(2026, 0, 1).toISOString(),
        to: new Date(2026, 0, 5, 23, 59, 59, 999).toISOString(),
        limit: '50',
      });
      request.flush({ events: [], nextBefore: null });
      await stable();

      const summary = text('filter-summary');
      expect(summary).toContain(en.audit.filters.active);
      expect(summary).toContain(en.audit.actions.auth.sign_in_failed);
      expect(summary).toContain('Outcome: Denied');
      expect(text('events-empty')).toBe(en.audit.events.emptyFiltered);
    });

    it('offers every action by its translated name, grouped', () => {
      const select = byTestId<HTMLSelectElement>('filter-action');
      // "Any action" and one option per action of @harbour/domain.
      expect(select.options).toHaveLength(AUDIT_ACTIONS.length + 1);
      expect([...select.querySelectorAll('optgroup')].map((group) => group.label)).toEqual([
        'Sign-in and security',
        'Staff accounts',
        'Organisation',
        'Keys',
        'Background jobs',
        'Backups',
        'Access log',
        'People',
        'Contacts',
        'Support needs',
        'Post-raid intake',
        'Referrals',
        'Partner directory',
        'Consents',
        'Outcome check-ins',
        'Reports',
        'Security',
        'Access',
        'Key workers',
        'Decoy records',
        'Follow-ups',
        'Day view',
        'Disclosure requests',
        'Retention',
      ]);
      expect(select.querySelector('option[value="access.denied"]')?.textContent.trim()).toBe(
        en.audit.actions.access.denied,
      );
    });

    it('asks for a staff id in UUID form, and sends nothing until then', async () => {
      type(byTestId<HTMLInputElement>('filter-actor'), 'Ben');
      await click('filter-apply');

      backend.expectNone((request) => request.url === '/api/audit/events');
      expect(document.body.textContent).toContain(en.audit.filters.actorInvalid);
    });

    it('refuses a range that ends before it starts', async () => {
      type(byTestId<HTMLInputElement>('filter-from'), '2026-01-05');
      type(byTestId<HTMLInputElement>('filter-to'), '2026-01-01');
      await click('filter-apply');

      backend.expectNone((request) => request.url === '/api/audit/events');
      expect(text('filter-range-error')).toBe(en.audit.filters.rangeInvalid);
    });

    it('clears every filter', async () => {
      choose('filter-outcome', 'failure');
      type(byTestId<HTMLInputElement>('filter-resource'), 'P-1');
      await click('filter-apply');
      expectEvents().flush({ events: [], nextBefore: null });
      await stable();

      await click('filter-clear');

      expect(params(expectEvents())).toEqual({ limit: '50' });
      expect(byTestId<HTMLSelectElement>('filter-outcome').value).toBe('');
      expect(byTestId<HTMLInputElement>('filter-resource').value).toBe('');
      expect(text('filter-summary')).toBe(en.audit.filters.none);
    });

    it('narrows the list to an actor when their name is selected, without opening the event', async () => {
      await click('filter-by-actor-120');

      expect(params(expectEvents())).toEqual({ actor: BEN_ID, limit: '50' });
      expect(maybeByTestId('event-detail')).toBeNull();
      expect(byTestId<HTMLInputElement>('filter-actor').value).toBe(BEN_ID);
      expect(text('filter-summary')).toContain(`Ben (${BEN_ID})`);
      expect(document.activeElement?.id).toBe('events-heading');
    });

    it('loads older events with nextBefore, then moves focus to the first of them', async () => {
      expect(rowIds()).toHaveLength(50);
      await click('load-older');

      const older = expectEvents();
      expect(params(older)).toEqual({ before: '71', limit: '50' });
      older.flush({ events: eventRange(70, 41), nextBefore: null });
      await stable();
      await new Promise((resolve) => setTimeout(resolve));

      expect(rowIds()).toHaveLength(80);
      expect(rowIds()[50]).toBe('event-row-70');
      expect(document.activeElement).toBe(byTestId('event-open-70'));
      expect(maybeByTestId('load-older')).toBeNull();
      expect(text('events-end')).toBe(en.audit.events.end);
      expect(text('events-count')).toBe('Events shown: 80');
    });
  });

  describe('events', () => {
    it('are a table on wide screens, with a header for every column', async () => {
      await setUp(true);
      await load({
        events: [
          accessEvent({
            seq: 7,
            action: 'access.denied',
            outcome: 'denied',
            actorRoles: ['caseworker', 'coordinator'],
          }),
          accessEvent({ seq: 6, actorId: null, actorName: null, actorRoles: [], fields: [] }),
        ],
        nextBefore: null,
      });

      const table = document.querySelector('table');
      expect(
        [...(table?.querySelectorAll('th') ?? [])].map((th) => th.getAttribute('scope')),
      ).toEqual(Array(9).fill('col'));
      expect(table?.querySelector('caption')?.textContent.trim()).toBe(en.audit.events.caption);
      const row = byTestId('event-row-7');
      expect(row.tagName).toBe('TR');
      expect(row.textContent).toContain(shown(accessEvent({ seq: 7 }).occurredAt));
      expect(text('event-row-7')).toContain('Caseworker, Coordinator');
      expect(row.textContent).toContain(en.audit.actions.access.denied);
      expect(row.querySelector('app-outcome-chip')?.textContent.trim()).toBe('Denied');
      expect(row.querySelector('[title="0190e1c2-aaaa-7000-8000-000000000001"]')).not.toBeNull();
      expect(row.textContent).toContain('givenName, familyName');
      // The purpose is shown as its translated category, never as stored text.
      expect(row.textContent).toContain(en.taxonomy.revealPurpose.referral);
      expect(text('event-row-6')).toContain(en.audit.events.noActor);
      expect(maybeByTestId('filter-by-actor-6')).toBeNull();
    });

    it('are cards on a phone', async () => {
      await setUp(false);
      await load({ events: eventRange(3, 1), nextBefore: null });

      expect(document.querySelector('table')).toBeNull();
      expect(rowIds()).toEqual(['event-row-3', 'event-row-2', 'event-row-1']);
      expect(byTestId('event-row-3').tagName).toBe('LI');
      expect(byTestId('filter-by-actor-3').textContent).toContain('Ben');
    });

    it("open in a dialog with every field and the event's inclusion proof", async () => {
      const { proof, checkpoint: signed } = await provenEvent(5, 13);
      await setUp(true);
      await load({
        chain: verification({ latestCheckpoint: signed }),
        events: eventRange(12, 1),
        nextBefore: null,
      });

      byTestId('event-row-5')
        .querySelector('td:nth-child(5)')
        ?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      await stable();

      const dialog = byTestId('event-detail');
      expect(dialog.textContent).toContain('Event 5');
      expect(
        [...byTestId('event-detail-resource-ids').querySelectorAll('li')].map((li) =>
          li.textContent.trim(),
        ),
      ).toEqual(['P-7K2Q9', '0190e1c2-aaaa-7000-8000-000000000001']);
      expect(byTestId('inclusion-proof').dataset['state']).toBe('loading');
      const request = backend.expectOne((r) => r.url === '/api/audit/proofs/inclusion');
      expect(params(request)).toEqual({ seq: '5', treeSize: '13' });
      request.flush(proof);
      // The proof is re-checked with (fake) SHA-256, one promise per node.
      await new Promise((resolve) => setTimeout(resolve));
      await stable();

      expect(byTestId('inclusion-proof').dataset['state']).toBe('included');
      expect(text('proof-included')).toContain('Included in checkpoint of size 13');
      expect(text('proof-leaf-hash')).toBe(proof.leafHash);
      expect(text('proof-root-hash')).toBe(proof.rootHash);
      expect(text('proof-length')).toBe(`${proof.proof.length} hashes`);
      expect(byTestId('proof-check').dataset['check']).toBe('match');

      await click('event-detail-close');
      expect(maybeByTestId('event-detail')).toBeNull();
    });

    it('stay closed when a click only ends a text selection (copying a request id)', async () => {
      await setUp(true);
      await load({ events: eventRange(3, 1), nextBefore: null });
      jest.spyOn(document, 'getSelection').mockReturnValue({
        toString: () => 'req-2-0190e1c2',
      } as Selection);

      byTestId('event-row-2')
        .querySelector('td:last-child')
        ?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      await stable();

      expect(maybeByTestId('event-detail')).toBeNull();
    });

    it('say when an event is not yet covered by a checkpoint', async () => {
      await setUp(true);
      await load({ events: [accessEvent({ seq: 1300 })], nextBefore: null });

      await click('event-open-1300');
      backend
        .expectOne('/api/audit/checkpoints/latest')
        .flush(apiError('not_found'), { status: 404, statusText: 'Not Found' });
      await stable();

      expect(byTestId('inclusion-proof').dataset['state']).toBe('notCovered');
      expect(text('proof-not-covered')).toBe('Not yet covered by a checkpoint');
      expect(snackBar.opened).toEqual([]);
    });
  });

  describe('anomalies', () => {
    beforeEach(async () => {
      await setUp();
    });

    it('lists each anomaly with its kind, actor, count and time range', async () => {
      await load({
        anomalies: [
          anomaly(),
          anomaly({
            kind: 'canary_access',
            actorId: CHI_ID,
            actorName: 'Chi',
            count: 1,
            firstSeq: 300,
            from: '2026-01-06T03:00:00.000Z',
            to: '2026-01-06T03:00:00.000Z',
          }),
          anomaly({ kind: 'repeated_denials', actorId: null, actorName: null, firstSeq: 400 }),
        ],
      });

      const many = text('anomaly-many_reveals-100');
      expect(many).toContain(en.audit.anomalies.kinds.many_reveals);
      expect(many).toContain('Staff member: Ben');
      expect(many).toContain('Events: 42');
      expect(many).toContain(shown('2026-01-05T22:10:00.000Z'));
      expect(many).toContain(shown('2026-01-05T22:58:30.000Z'));
      expect(byTestId('anomaly-canary_access-300').classList).toContain('severe');
      expect(text('anomaly-canary_access-300')).toContain(en.audit.anomalies.kinds.canary_access);
      expect(text('anomaly-repeated_denials-400')).toContain(
        `Staff member: ${en.audit.anomalies.unknownActor}`,
      );
    });

    it("shows an anomaly's events: its actor and time range", async () => {
      await load();
      await click('anomaly-show-many_reveals-100');

      expect(params(expectEvents())).toEqual({
        actor: BEN_ID,
        from: '2026-01-05T22:10:00.000Z',
        to: '2026-01-05T22:58:30.000Z',
        limit: '50',
      });
      expect(byTestId<HTMLInputElement>('filter-actor').value).toBe(BEN_ID);
      expect(text('filter-summary')).toContain(shown('2026-01-05T22:10:00.000Z'));
      expect(document.activeElement?.id).toBe('events-heading');
    });

    it('says when there is nothing unusual', async () => {
      await load({ anomalies: [] });
      expect(text('anomalies-empty')).toBe(en.audit.anomalies.empty);
    });

    it('comes first on the page, open flags first, a decoy record named by its code', async () => {
      await load({
        anomalies: [
          anomaly({
            status: 'reviewed',
            reviewedBy: 'Dana',
            reviewedAt: '2026-01-06T08:00:00.000Z',
          }),
          anomaly({
            kind: 'canary_access',
            subject: 'HB-7K2Q-M9XF',
            count: 1,
            firstSeq: 300,
            from: '2026-01-06T03:00:00.000Z',
            to: '2026-01-06T03:00:00.000Z',
          }),
        ],
      });

      const page = fixture.nativeElement as HTMLElement;
      const panel = byTestId('anomalies');
      expect(
        panel.compareDocumentPosition(byTestId('chain-status')) & Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
      const order = [
        ...page.querySelectorAll<HTMLElement>('[data-testid^="anomaly-"][data-status]'),
      ];
      expect(order.map((el) => [el.dataset['testid'], el.dataset['status']])).toEqual([
        ['anomaly-canary_access-300', 'open'],
        ['anomaly-many_reveals-100', 'reviewed'],
      ]);
      expect(text('anomalies-open-count')).toBe('Open: 1');
      expect(text('anomaly-subject-300')).toBe('Decoy record: HB-7K2Q-M9XF');
      expect(text('anomaly-status-100')).toBe(
        `Reviewed by Dana at ${shown('2026-01-06T08:00:00.000Z')}`,
      );
      expect(maybeByTestId('anomaly-review-many_reveals-100')).toBeNull();
    });

    it('marks a flag reviewed, then reloads the flags', async () => {
      const flag = anomaly();
      await load({ anomalies: [flag] });
      await click('anomaly-review-many_reveals-100');

      const request = backend.expectOne('/api/audit/anomalies/review');
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({ id: flag.id });
      request.flush(null, { status: 204, statusText: 'No Content' });
      await stable();
      backend
        .expectOne('/api/audit/anomalies')
        .flush([{ ...flag, status: 'reviewed', reviewedBy: 'Ana', reviewedAt: flag.to }]);
      await stable();
      expect(byTestId('anomaly-many_reveals-100').dataset['status']).toBe('reviewed');
    });
  });

  describe('export', () => {
    let created: Blob[];
    let revoked: string[];
    let clicked: HTMLAnchorElement[];

    beforeEach(async () => {
      created = [];
      revoked = [];
      clicked = [];
      // jsdom has no object URLs, and cannot follow a download link.
      Object.assign(URL, {
        createObjectURL: (blob: Blob) => {
          created.push(blob);
          return 'blob:harbour/1';
        },
        revokeObjectURL: (url: string) => revoked.push(url),
      });
      jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
        this: HTMLAnchorElement,
      ) {
        clicked.push(this);
      });
      await setUp();
      jest.spyOn(TestBed.inject(Clock), 'setTimeout').mockImplementation((callback) => {
        callback();
        return () => undefined;
      });
      await load();
    });

    afterEach(() => {
      Object.assign(URL, { createObjectURL: undefined, revokeObjectURL: undefined });
    });

    it('downloads the filtered log after step-up, asked for first, then revokes the object URL', async () => {
      choose('filter-outcome', 'denied');
      await click('filter-apply');
      expectEvents().flush({ events: [], nextBefore: null });
      await stable();

      await click('export-csv');
      expect(byTestId<HTMLButtonElement>('export-csv').disabled).toBe(true);
      // Step-up first: no refused request (refusals are logged, and many raise a flag).
      backend.expectNone((request) => request.url === '/api/audit/export');
      type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
      type(byTestId<HTMLInputElement>('step-up-code'), '123456');
      await click('step-up-submit');
      backend
        .expectOne('/api/auth/step-up')
        .flush({ stepUpUntil: new Date(Date.now() + 300_000).toISOString() });
      await stable();

      const request = backend.expectOne((r) => r.url === '/api/audit/export');
      expect(params(request)).toEqual({ outcome: 'denied' });
      const csv = 'seq,occurredAt,action\n7,2026-01-05T09:00:07Z,access.denied\n';
      request.flush(csv);
      await stable();

      expect(created).toHaveLength(1);
      expect(created[0]?.type).toBe('text/csv;charset=utf-8');
      expect(created[0]?.size).toBe(csv.length);
      const today = new Date();
      const date = [
        today.getFullYear(),
        String(today.getMonth() + 1).padStart(2, '0'),
        String(today.getDate()).padStart(2, '0'),
      ].join('-');
      expect(clicked.map((link) => [link.download, link.getAttribute('href')])).toEqual([
        [`harbour-access-log-${date}.csv`, 'blob:harbour/1'],
      ]);
      expect(clicked[0]?.isConnected).toBe(false);
      expect(revoked).toEqual(['blob:harbour/1']);
      expect(text('audit-notice')).toContain(`Downloaded harbour-access-log-${date}.csv.`);
      expect(byTestId<HTMLButtonElement>('export-csv').disabled).toBe(false);
      expect(snackBar.opened).toEqual([]);
    });

    it('downloads nothing, and asks the API nothing, when step-up is cancelled', async () => {
      await click('export-csv');
      await click('step-up-cancel');

      backend.expectNone((request) => request.url === '/api/audit/export');
      expect(created).toEqual([]);
      expect(clicked).toEqual([]);
      expect(text('audit-notice')).toBe('');
      expect(byTestId<HTMLButtonElement>('export-csv').disabled).toBe(false);
    });
  });
});
