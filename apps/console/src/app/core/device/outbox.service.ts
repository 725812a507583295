import { HttpClient, HttpContext } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type {
  BulkIntakeRequest,
  BulkIntakeResponse,
  ContactView,
  CreatePersonRequest,
  PersonView,
} from '@harbour/domain';
import { firstValueFrom } from 'rxjs';
import { appErrorOf } from '../http/app-error';
import { Clock } from '../time/clock';
import { SHOW_ERROR_MESSAGE } from '../http/http-context';
import { newRecordId } from './device-crypto';
import { DeviceVault } from './device-vault';
import {
  isTransient,
  type OutboxEntry,
  type OutboxItem,
  type OutboxProblem,
  type OutboxSubmission,
} from './outbox';

/** How long after a run cut short by the network the outbox tries again by itself. */
export const RETRY_MS = 20_000;

/**
 * How long after its first attempt an entry is still sent again by itself. The API replays an
 * answer for an `Idempotency-Key` for 24 hours (`IDEMPOTENCY_TTL_MS`); past that, a retry after a
 * lost answer could record the same work twice, so the entry goes to the worker instead (with
 * four hours' margin for a phone's clock).
 */
export const RESEND_WINDOW_MS = 20 * 60 * 60 * 1000;

/**
 * Work saved on this device while offline (docs/adr/0012), in the device vault's `outbox`, sent
 * in the order it was saved when the connection returns (the `online` event, after sign-in, or
 * "Send now"), each request with the `Idempotency-Key` it was given at capture: a retry after a
 * lost answer records it once. A refusal never drops or overwrites anything: the entry stays,
 * marked with the reason, until the worker opens it back into its form or discards it.
 */
@Injectable({ providedIn: 'root' })
export class OutboxService {
  private readonly http = inject(HttpClient);
  private readonly vault = inject(DeviceVault);
  private readonly clock = inject(Clock);

  private readonly itemsState = signal<readonly OutboxItem[]>([]);
  private readonly sendingState = signal(false);
  private readonly sentState = signal(0);

  readonly items = this.itemsState.asReadonly();
  readonly sending = this.sendingState.asReadonly();
  /** How many entries the last run sent. */
  readonly sent = this.sentState.asReadonly();
  readonly waiting = computed(() => this.items().filter((item) => item.entry.problem === null));
  readonly attention = computed(() => this.items().filter((item) => item.entry.problem !== null));
  readonly ready = this.vault.ready;

  /** After a run cut short by the network: try again later, even without an `online` event. */
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    const online = (): void => void this.sendAll();
    globalThis.addEventListener?.('online', online);
    inject(DestroyRef).onDestroy(() => {
      globalThis.removeEventListener?.('online', online);
      this.cancelRetry();
    });
  }

  /** Keeps `submission` on the device, to be sent when the connection returns. */
  async capture(submission: OutboxSubmission): Promise<string> {
    const id = newRecordId();
    const entry: OutboxEntry = { submission, problem: null, createdPersonId: null };
    await this.vault.put('outbox', id, entry);
    await this.refresh();
    return id;
  }

  /** The entries of the signed-in account (empty while the vault is locked). */
  async refresh(): Promise<void> {
    if (!this.vault.ready()) {
      this.itemsState.set([]);
      return;
    }
    const records = await this.vault.list<OutboxEntry>('outbox');
    this.itemsState.set(records.map(({ id, value, savedAt }) => ({ id, savedAt, entry: value })));
  }

  async entry(id: string): Promise<OutboxEntry | null> {
    return this.vault.get<OutboxEntry>('outbox', id);
  }

  /** The worker chose to throw this entry away (explicitly, from the list). */
  async discard(id: string): Promise<void> {
    await this.vault.delete('outbox', id);
    await this.refresh();
  }

  /** The entry's form saved it online: it is done. */
  async resolved(id: string): Promise<void> {
    await this.discard(id);
  }

  /**
   * Sends every waiting entry, oldest first. Stops at the first failure that is not the entry's
   * own (no connection, the session gone): the rest keep their order for the next run.
   */
  async sendAll(): Promise<void> {
    if (this.sending() || !this.vault.ready()) return;
    // No network at all: nothing would reach the API, and no attempt should be counted.
    if (globalThis.navigator?.onLine === false) return;
    this.sendingState.set(true);
    this.cancelRetry();
    let sent = 0;
    let stopped = false;
    try {
      await this.refresh();
      for (const item of this.waiting()) {
        const outcome = await this.send(item);
        if (outcome === 'stop') {
          stopped = true;
          break;
        }
        if (outcome === 'sent') sent++;
      }
    } finally {
      this.sentState.set(sent);
      this.sendingState.set(false);
      await this.refresh().catch(() => undefined);
      if (stopped) this.retry = setTimeout(() => void this.sendAll(), RETRY_MS);
    }
  }

  private cancelRetry(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private async send(item: OutboxItem): Promise<'sent' | 'problem' | 'stop'> {
    const { submission } = item.entry;
    let createdPersonId = item.entry.createdPersonId;
    const now = this.clock.now();
    const firstSentAt = item.entry.firstSentAt;
    if (firstSentAt !== undefined && now - firstSentAt > RESEND_WINDOW_MS) {
      const problem: OutboxProblem = { code: 'unknown_error', fields: [], unconfirmed: true };
      await this.vault.put('outbox', item.id, { ...item.entry, problem });
      return 'problem';
    }
    const entry: OutboxEntry = { ...item.entry, firstSentAt: firstSentAt ?? now };
    if (firstSentAt === undefined) await this.vault.put('outbox', item.id, entry);
    try {
      if (submission.kind === 'intake') {
        await this.post<BulkIntakeResponse, BulkIntakeRequest>(
          '/api/intake/bulk',
          submission.request,
          submission.key,
        );
      } else {
        let contact = submission.contact;
        if (submission.person !== null) {
          if (createdPersonId === null) {
            const person = await this.post<PersonView, CreatePersonRequest>(
              '/api/persons',
              { ...submission.person.request, checkDuplicates: true },
              submission.person.key,
            );
            createdPersonId = person.id;
            await this.vault.put('outbox', item.id, { ...entry, createdPersonId });
          }
          contact = { ...contact, personId: createdPersonId };
        }
        await this.post<ContactView, typeof contact>(
          '/api/contacts',
          contact,
          submission.contactKey,
        );
      }
    } catch (error: unknown) {
      const failure = appErrorOf(error);
      if (isTransient(failure.code)) return 'stop';
      const problem: OutboxProblem = {
        code: failure.code,
        fields: (failure.details.fields ?? []).map((field) => field.path),
      };
      await this.vault.put('outbox', item.id, { ...entry, createdPersonId, problem });
      return 'problem';
    }
    await this.vault.delete('outbox', item.id);
    return 'sent';
  }

  private post<R, B>(url: string, body: B, key: string): Promise<R> {
    return firstValueFrom(
      this.http.post<R>(url, body, {
        headers: { 'Idempotency-Key': key },
        context: new HttpContext().set(SHOW_ERROR_MESSAGE, false),
      }),
    );
  }
}
