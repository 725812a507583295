import type { SealedRecord, VaultStore } from './device-crypto';

/**
 * The console's only IndexedDB database (docs/adr/0012): `meta` holds the device id (in the
 * clear: it is not a secret), `outbox` and `drafts` hold sealed records (`device-crypto.ts`).
 */
const DATABASE = 'harbour-device';
const VERSION = 1;
const META = 'meta';
const DEVICE_ID = 'deviceId';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

export class DeviceDatabase {
  #db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory = globalThis.indexedDB) {}

  private db(): Promise<IDBDatabase> {
    this.#db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = this.factory.open(DATABASE, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const name of [META, 'outbox', 'drafts']) {
          if (!db.objectStoreNames.contains(name)) {
            db.createObjectStore(name, name === META ? undefined : { keyPath: 'k' });
          }
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    }).catch((error: unknown) => {
      this.#db = null;
      throw error;
    });
    return this.#db;
  }

  /** This browser profile's device id, made (by `create`) the first time it is asked for. */
  async deviceId(create: () => string): Promise<string> {
    const db = await this.db();
    const tx = db.transaction(META, 'readwrite');
    const meta = tx.objectStore(META);
    const existing = (await request(meta.get(DEVICE_ID))) as unknown;
    let id: string;
    if (typeof existing === 'string') {
      id = existing;
    } else {
      id = create();
      meta.put(id, DEVICE_ID);
    }
    await done(tx);
    return id;
  }

  async put(store: VaultStore, record: SealedRecord): Promise<void> {
    const tx = (await this.db()).transaction(store, 'readwrite');
    tx.objectStore(store).put(record);
    await done(tx);
  }

  async get(store: VaultStore, k: string): Promise<SealedRecord | null> {
    const tx = (await this.db()).transaction(store, 'readonly');
    const record = (await request(tx.objectStore(store).get(k))) as SealedRecord | undefined;
    return record ?? null;
  }

  async all(store: VaultStore): Promise<SealedRecord[]> {
    const tx = (await this.db()).transaction(store, 'readonly');
    return (await request(tx.objectStore(store).getAll())) as SealedRecord[];
  }

  async delete(store: VaultStore, k: string): Promise<void> {
    const tx = (await this.db()).transaction(store, 'readwrite');
    tx.objectStore(store).delete(k);
    await done(tx);
  }
}
