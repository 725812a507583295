import { HttpClient, HttpContext } from '@angular/common/http';
import { computed, inject, Injectable, signal, type Signal } from '@angular/core';
import type { DeviceKeyRequest, DeviceKeyResponse } from '@harbour/domain';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../auth/session.store';
import { SHOW_ERROR_MESSAGE } from '../http/http-context';
import { DeviceDatabase } from './device-database';
import {
  importDeviceKey,
  newDeviceId,
  open,
  recordKey,
  seal,
  type VaultStore,
} from './device-crypto';

export type { VaultStore } from './device-crypto';

export const DEVICE_KEY_URL = '/api/session/device-key';

interface Unlocked {
  readonly key: CryptoKey;
  readonly keyId: string;
  readonly account: string;
}

/** Thrown by `put`, `get`, `list` and `delete` while the vault is locked. */
export class VaultLockedError extends Error {
  constructor() {
    super('The device vault is locked.');
    this.name = 'VaultLockedError';
  }
}

/**
 * Work kept on this device (offline contacts and intakes, drafts), encrypted (docs/adr/0012):
 * sealed with AES-GCM under a non-extractable key the API releases to the signed-in account for
 * this device. The key is held in memory only — never in storage — and forgotten at every
 * session end, quick exit and reload; until the next online sign-in nothing here can be read.
 * IndexedDB holds only the device id (not a secret) and sealed records (`device-crypto.ts`).
 */
@Injectable({ providedIn: 'root' })
export class DeviceVault {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionStore);
  private readonly database = new DeviceDatabase();

  private readonly unlocked = signal<Unlocked | null>(null);
  /** Bumped by `lock`: an `unlock` under way when the session ends imports nothing. */
  private generation = 0;

  /** The key is imported for the signed-in account. */
  readonly ready: Signal<boolean> = computed(() => this.unlocked() !== null);

  /** After sign-in: fetch this account's key for this device and import it (memory only). */
  async unlock(): Promise<void> {
    const account = this.session.user()?.id;
    if (account === undefined) throw new VaultLockedError();
    if (this.unlocked()?.account === account) return;
    const generation = ++this.generation;
    const deviceId = await this.database.deviceId(() => newDeviceId());
    const body: DeviceKeyRequest = { deviceId };
    const released = await firstValueFrom(
      this.http.post<DeviceKeyResponse>(DEVICE_KEY_URL, body, {
        context: new HttpContext().set(SHOW_ERROR_MESSAGE, false),
      }),
    );
    const key = await importDeviceKey(released.key);
    if (generation !== this.generation || this.session.user()?.id !== account) return;
    this.unlocked.set({ key, keyId: released.keyId, account });
  }

  /** At sign-out, session end and quick exit: forget the key (it was in memory only). */
  lock(): void {
    this.generation++;
    this.unlocked.set(null);
  }

  async put<T>(store: VaultStore, id: string, value: T): Promise<void> {
    const { key, keyId, account } = this.held();
    const sealed = await seal(key, keyId, account, store, { id, savedAt: Date.now(), value });
    await this.database.put(store, sealed);
  }

  async get<T>(store: VaultStore, id: string): Promise<T | null> {
    const { key, keyId, account } = this.held();
    const sealed = await this.database.get(store, await recordKey(account, store, id));
    if (sealed === null) return null;
    return (await open<T>(key, keyId, account, store, sealed))?.value ?? null;
  }

  /**
   * The records of this account that open under its current key, oldest first. Others (another
   * account's, or sealed under a key since revoked) are left as they are, unread.
   */
  async list<T>(store: VaultStore): Promise<readonly { id: string; value: T; savedAt: number }[]> {
    const { key, keyId, account } = this.held();
    const opened = await Promise.all(
      (await this.database.all(store)).map((sealed) => open<T>(key, keyId, account, store, sealed)),
    );
    return opened
      .filter((record) => record !== null)
      .sort((a, b) => a.savedAt - b.savedAt || a.id.localeCompare(b.id));
  }

  async delete(store: VaultStore, id: string): Promise<void> {
    const { account } = this.held();
    await this.database.delete(store, await recordKey(account, store, id));
  }

  private held(): Unlocked {
    const held = this.unlocked();
    if (held === null || held.account !== this.session.user()?.id) throw new VaultLockedError();
    return held;
  }
}
