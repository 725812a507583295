import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { errorInterceptor } from '../http/error.interceptor';
import { DeviceVault } from './device-vault';
import type { OutboxEntry, OutboxSubmission } from './outbox';
import { Clock } from '../time/clock';
import { OutboxService, RESEND_WINDOW_MS } from './outbox.service';

/** The vault's contract, in memory (the sealing itself is tested in device-crypto.spec.ts). */
class FakeVault {
  readonly ready = signal(true);
  readonly records = new Map<string, { value: unknown; savedAt: number }>();
  private clock = 0;
  put(_store: string, id: string, value: unknown): Promise<void> {
    this.records.set(id, {
      value: JSON.parse(JSON.stringify(value)) as unknown,
      savedAt: this.records.get(id)?.savedAt ?? ++this.clock,
    });
    return Promise.resolve();
  }
  get<T>(_store: string, id: string): Promise<T | null> {
    return Promise.resolve((this.records.get(id)?.value as T) ?? null);
  }
  list<T>(): Promise<{ id: string; value: T; savedAt: number }[]> {
    const all = [...this.records.entries()]
      .map(([id, r]) => ({ id, value: r.value as T, savedAt: r.savedAt }))
      .sort((a, b) => a.savedAt - b.savedAt);
    return Promise.resolve(all);
  }
  delete(_store: string, id: string): Promise<void> {
    this.records.delete(id);
    return Promise.resolve();
  }
}

const contact = (personKey: string | null): OutboxSubmission => ({
  kind: 'contact',
  person:
    personKey === null
      ? null
      : { request: { identity: { givenName: 'Test' }, consentToReporting: false }, key: personKey },
  contact: { occurredOn: '2026-12-01', channel: 'in_person', locationType: 'outreach_venue' },
  contactKey: 'contact-key-000001',
});
const intake: OutboxSubmission = {
  kind: 'intake',
  request: {
    event: { occurredOn: '2026-12-01', channel: 'in_person', locationType: 'outreach_venue' },
    people: [{}, {}, {}],
  },
  key: 'intake-key-0000001',
};

/** Lets the service's awaits run between requests. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('OutboxService', () => {
  let http: HttpTestingController;
  let vault: FakeVault;
  let outbox: OutboxService;

  beforeEach(() => {
    vault = new FakeVault();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideTranslocoTesting(),
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: DeviceVault, useValue: vault },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    outbox = TestBed.inject(OutboxService);
  });

  async function expectPost(url: string, key: string) {
    for (let i = 0; i < 10; i++) await settle();
    const req = http.expectOne(url);
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Idempotency-Key')).toBe(key);
    return req;
  }

  it('sends in the order saved, each with the key fixed at capture, and forgets what was sent', async () => {
    await outbox.capture(contact('person-key-0000001'));
    await outbox.capture(intake);
    expect(outbox.waiting()).toHaveLength(2);
    const run = outbox.sendAll();
    const person = await expectPost('/api/persons', 'person-key-0000001');
    expect(person.request.body).toMatchObject({ checkDuplicates: true });
    person.flush({ id: 'p-1' });
    const sent = await expectPost('/api/contacts', 'contact-key-000001');
    expect(sent.request.body).toMatchObject({ personId: 'p-1' });
    sent.flush({ id: 'c-1' });
    (await expectPost('/api/intake/bulk', 'intake-key-0000001')).flush({ people: [] });
    await run;
    expect(outbox.items()).toEqual([]);
    expect(vault.records.size).toBe(0);
    expect(outbox.sent()).toBe(2);
  });

  it('keeps everything, in order, when the connection drops; a retry reuses the person created', async () => {
    await outbox.capture(contact('person-key-0000001'));
    await outbox.capture(intake);
    const run = outbox.sendAll();
    (await expectPost('/api/persons', 'person-key-0000001')).flush({ id: 'p-1' });
    (await expectPost('/api/contacts', 'contact-key-000001')).error(new ProgressEvent('error'));
    await run;
    http.expectNone('/api/intake/bulk');
    expect(outbox.waiting()).toHaveLength(2);
    expect(outbox.attention()).toEqual([]);
    const again = outbox.sendAll();
    // The person is not created twice: the contact goes straight out, with the same key.
    const retry = await expectPost('/api/contacts', 'contact-key-000001');
    expect(retry.request.body).toMatchObject({ personId: 'p-1' });
    retry.flush({ id: 'c-1' });
    (await expectPost('/api/intake/bulk', 'intake-key-0000001')).flush({ people: [] });
    await again;
    expect(outbox.items()).toEqual([]);
  });

  it('marks a refused entry as needing attention, keeps it, and goes on with the next', async () => {
    await outbox.capture(contact(null));
    await outbox.capture(intake);
    const run = outbox.sendAll();
    (await expectPost('/api/contacts', 'contact-key-000001')).flush(
      { code: 'person_merged', correlationId: 'r-1' },
      { status: 409, statusText: 'Conflict' },
    );
    (await expectPost('/api/intake/bulk', 'intake-key-0000001')).flush(
      {
        code: 'validation_failed',
        fields: [{ path: 'people[1].identity.dateOfBirth', reason: 'range' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await run;
    const problems = outbox.attention().map((item) => item.entry.problem);
    expect(problems).toEqual([
      { code: 'person_merged', fields: [] },
      { code: 'validation_failed', fields: ['people[1].identity.dateOfBirth'] },
    ]);
    // Not sent again as they are.
    await outbox.sendAll();
    http.expectNone('/api/contacts');
    const [first] = outbox.attention();
    const kept = (await vault.get<OutboxEntry>('outbox', first!.id))!;
    expect(kept.submission).toEqual(contact(null));
    await outbox.discard(first!.id);
    expect(outbox.items()).toHaveLength(1);
  });

  it('after the resend window, an entry whose answer never came goes to the worker, unsent', async () => {
    const clock = TestBed.inject(Clock);
    let now = Date.parse('2026-12-01T08:00:00Z');
    jest.spyOn(clock, 'now').mockImplementation(() => now);
    await outbox.capture(intake);
    const run = outbox.sendAll();
    (await expectPost('/api/intake/bulk', 'intake-key-0000001')).error(new ProgressEvent('error'));
    await run;
    expect(outbox.waiting()).toHaveLength(1);

    // Within the window the same key goes out again (the API still replays its answer).
    now += RESEND_WINDOW_MS - 1;
    const again = outbox.sendAll();
    (await expectPost('/api/intake/bulk', 'intake-key-0000001')).error(new ProgressEvent('error'));
    await again;
    expect(outbox.waiting()).toHaveLength(1);

    // Past it, nothing is sent: it may already be recorded, and the key is no longer remembered.
    now += 2;
    await outbox.sendAll();
    http.expectNone('/api/intake/bulk');
    expect(outbox.waiting()).toEqual([]);
    expect(outbox.attention().map((item) => item.entry.problem)).toEqual([
      { code: 'unknown_error', fields: [], unconfirmed: true },
    ]);
    expect(outbox.attention()[0]!.entry.submission).toEqual(intake);
  });

  it('sends nothing while the vault is locked', async () => {
    await outbox.capture(intake);
    vault.ready.set(false);
    await outbox.sendAll();
    http.expectNone('/api/intake/bulk');
  });

  afterEach(() => http.verify());
});
