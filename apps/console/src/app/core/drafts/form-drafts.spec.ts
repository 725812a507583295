import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder } from '@angular/forms';
import { DeviceVault, VaultLockedError } from '../device/device-vault';
import type { StoredDraft } from './form-drafts';
import { DRAFT_SAVE_DELAY_MS, FormDrafts } from './form-drafts';

const NOW = Date.parse('2026-03-01T14:05:00.000Z');

/** The vault's contract, in memory: per account, unreadable while locked. */
class FakeVault {
  readonly account = signal<string | null>('u-1');
  readonly ready = signal(true);
  readonly records = new Map<string, unknown>();
  puts = 0;

  private key(store: string, id: string): string {
    if (!this.ready()) throw new VaultLockedError();
    return `${this.account()}/${store}/${id}`;
  }
  put<T>(store: string, id: string, value: T): Promise<void> {
    const key = this.key(store, id);
    this.puts++;
    this.records.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    return Promise.resolve();
  }
  get<T>(store: string, id: string): Promise<T | null> {
    const key = this.key(store, id);
    return Promise.resolve((this.records.get(key) as T | undefined) ?? null);
  }
  delete(store: string, id: string): Promise<void> {
    this.records.delete(this.key(store, id));
    return Promise.resolve();
  }
  lock(): void {
    this.ready.set(false);
  }
}

@Component({
  selector: 'app-draft-host',
  template: '',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class DraftHost {
  private readonly fb = inject(NonNullableFormBuilder);
  readonly form = this.fb.group({ givenName: '', notes: '' });
  readonly draft = inject(FormDrafts).attach({
    id: 'intake',
    form: this.form,
    restore: (values) => this.form.patchValue(values),
    reset: () => this.form.reset(),
  });
}

describe('FormDrafts', () => {
  let vault: FakeVault;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['queueMicrotask', 'nextTick'] });
    vault = new FakeVault();
    TestBed.configureTestingModule({ providers: [{ provide: DeviceVault, useValue: vault }] });
  });

  afterEach(() => jest.useRealTimers());

  async function open(): Promise<DraftHost> {
    const fixture = TestBed.createComponent(DraftHost);
    fixture.detectChanges();
    await jest.advanceTimersByTimeAsync(0);
    TestBed.tick();
    return fixture.componentInstance;
  }

  function type(host: DraftHost, givenName: string): void {
    host.form.controls.givenName.setValue(givenName);
    host.form.markAsDirty();
  }

  it('saves a second after the last change, through the vault only', async () => {
    const host = await open();
    type(host, 'Somchai');
    type(host, 'Somchai J');
    await jest.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS - 1);
    expect(vault.puts).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(vault.puts).toBe(1);
    expect(vault.records.get('u-1/drafts/intake')).toEqual({
      savedAt: NOW + DRAFT_SAVE_DELAY_MS,
      values: { givenName: 'Somchai J', notes: '' },
    });
  });

  it('restores the draft when the page opens again, with the time it was saved', async () => {
    vault.records.set('u-1/drafts/intake', {
      savedAt: NOW - 60_000,
      values: { givenName: 'Noi', notes: 'met at the station' },
    } satisfies StoredDraft<unknown>);
    const host = await open();
    expect(host.form.getRawValue()).toEqual({ givenName: 'Noi', notes: 'met at the station' });
    expect(host.draft.restoredAt()).toBe(NOW - 60_000);
  });

  it('waits for the vault to open (after sign-in) before restoring', async () => {
    vault.records.set('u-1/drafts/intake', {
      savedAt: NOW,
      values: { givenName: 'Noi', notes: '' },
    });
    vault.ready.set(false);
    const host = await open();
    expect(host.form.controls.givenName.value).toBe('');
    vault.ready.set(true);
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(0);
    expect(host.form.controls.givenName.value).toBe('Noi');
  });

  it("never shows another account's draft", async () => {
    vault.records.set('u-2/drafts/intake', {
      savedAt: NOW,
      values: { givenName: 'Noi', notes: '' },
    });
    const host = await open();
    expect(host.form.controls.givenName.value).toBe('');
    expect(host.draft.restoredAt()).toBeNull();
  });

  it('saves at once before the session ends (flushAll), not after the vault is locked', async () => {
    const host = await open();
    type(host, 'Lan');
    TestBed.inject(FormDrafts).flushAll();
    vault.lock();
    await jest.advanceTimersByTimeAsync(0);
    vault.ready.set(true);
    expect(vault.records.get('u-1/drafts/intake')).toMatchObject({ values: { givenName: 'Lan' } });

    vault.records.clear();
    type(host, 'Lan P');
    vault.lock();
    await jest.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS);
    vault.ready.set(true);
    expect(vault.records.size).toBe(0);
  });

  it('deletes the draft once the submission is recorded, and saves no empty form after it', async () => {
    const host = await open();
    type(host, 'Lan');
    await jest.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS);
    expect(vault.records.size).toBe(1);
    host.form.reset();
    await host.draft.recorded();
    await jest.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS * 2);
    expect(vault.records.size).toBe(0);
  });

  it('"Discard" deletes the draft and empties the form', async () => {
    vault.records.set('u-1/drafts/intake', {
      savedAt: NOW,
      values: { givenName: 'Noi', notes: '' },
    });
    const host = await open();
    await host.draft.discard();
    await jest.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS * 2);
    expect(host.form.controls.givenName.value).toBe('');
    expect(host.draft.restoredAt()).toBeNull();
    expect(vault.records.size).toBe(0);
  });
});
