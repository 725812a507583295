import { webcrypto } from 'node:crypto';
import {
  fromBase64Url,
  importDeviceKey,
  newDeviceId,
  open,
  recordKey,
  seal,
  toBase64Url,
  type SealedRecord,
} from './device-crypto';

const crypto = webcrypto as unknown as Crypto;
const ALICE = '0190f0e4-0000-7000-8000-000000000001';
const BOB = '0190f0e4-0000-7000-8000-000000000002';
const keyText = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));
const decoder = new TextDecoder();

/** Every byte of a sealed record as text, to look for plaintext in it. */
function clearText(record: SealedRecord): string {
  return [record.k, record.keyId, decoder.decode(record.iv), decoder.decode(record.data)].join('|');
}

describe('device vault crypto', () => {
  let key: CryptoKey;
  let other: CryptoKey;

  beforeAll(async () => {
    key = await importDeviceKey(keyText(7), crypto);
    other = await importDeviceKey(keyText(8), crypto);
  });

  it('round-trips base64url, and makes 128-bit device ids', () => {
    const bytes = new Uint8Array([0, 251, 255, 62, 63, 1]);
    expect(toBase64Url(bytes)).toBe('APv_Pj8B');
    expect([...fromBase64Url('APv_Pj8B')]).toEqual([...bytes]);
    const id = newDeviceId(crypto);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fromBase64Url(id)).toHaveLength(16);
    expect(newDeviceId(crypto)).not.toBe(id);
    expect(() => fromBase64Url('a+b')).toThrow();
  });

  it('imports a 32-byte key as non-extractable AES-GCM, and nothing else', async () => {
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    await expect(importDeviceKey(toBase64Url(new Uint8Array(16)), crypto)).rejects.toThrow();
  });

  it('seals a record so that nothing of it is in the clear, and opens it again', async () => {
    const value = { givenName: 'Zzyzx Quillfeather', notes: 'met at the venue' };
    const sealed = await seal(key, 'e0', ALICE, 'outbox', { id: 'r1', savedAt: 42, value }, crypto);
    const text = clearText(sealed);
    for (const plain of ['Zzyzx', 'Quillfeather', 'venue', 'r1', ALICE, '42'])
      expect(text).not.toContain(plain);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.k).toBe(await recordKey(ALICE, 'outbox', 'r1', crypto));
    expect(await open(key, 'e0', ALICE, 'outbox', sealed, crypto)).toEqual({
      id: 'r1',
      savedAt: 42,
      value,
    });
  });

  it('uses a fresh IV each time', async () => {
    const record = { id: 'r1', savedAt: 1, value: 'same' };
    const a = await seal(key, 'e0', ALICE, 'drafts', record, crypto);
    const b = await seal(key, 'e0', ALICE, 'drafts', record, crypto);
    expect(toBase64Url(a.iv)).not.toBe(toBase64Url(b.iv));
    expect(toBase64Url(new Uint8Array(a.data))).not.toBe(toBase64Url(new Uint8Array(b.data)));
  });

  it('opens nothing for another key, key generation, account or store, or when tampered with', async () => {
    const sealed = await seal(
      key,
      'e0',
      ALICE,
      'outbox',
      { id: 'r1', savedAt: 1, value: 1 },
      crypto,
    );
    expect(await open(other, 'e0', ALICE, 'outbox', sealed, crypto)).toBeNull();
    expect(await open(key, 'e1', ALICE, 'outbox', sealed, crypto)).toBeNull();
    expect(await open(key, 'e0', BOB, 'outbox', sealed, crypto)).toBeNull();
    expect(await open(key, 'e0', ALICE, 'drafts', sealed, crypto)).toBeNull();
    const flipped = new Uint8Array(sealed.data.slice(0));
    flipped[0] = flipped[0]! ^ 1;
    expect(
      await open(key, 'e0', ALICE, 'outbox', { ...sealed, data: flipped.buffer }, crypto),
    ).toBeNull();
    // Moved under another record's storage key: the associated data no longer matches.
    const moved = { ...sealed, k: await recordKey(ALICE, 'outbox', 'r2', crypto) };
    expect(await open(key, 'e0', ALICE, 'outbox', moved, crypto)).toBeNull();
  });

  it('keeps records of different accounts, stores and ids apart', async () => {
    const keys = new Set([
      await recordKey(ALICE, 'outbox', 'r1', crypto),
      await recordKey(BOB, 'outbox', 'r1', crypto),
      await recordKey(ALICE, 'drafts', 'r1', crypto),
      await recordKey(ALICE, 'outbox', 'r2', crypto),
    ]);
    expect(keys.size).toBe(4);
  });
});
