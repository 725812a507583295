import { inspect } from 'node:util';
import type { KeyBinding, WrappedKeyPurpose } from './associated-data';
import { fromHex, toHex } from './bytes';
import { KeyError, PlacementError } from './errors';
import { HEADER_BYTES, keyIdOf, MIN_CIPHERTEXT_BYTES } from './format';
import { createCrypto, type HarbourCrypto } from './harbour-crypto';
import {
  LOCAL_MASTER_KEY_ID,
  LocalKeyProvider,
  MasterKeys,
  parseWrappedKey,
  serialiseWrappedKey,
  type WrappedKeyRecord,
} from './keys';
import { SecretKey } from './secret-key';

const ORG = '0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f';
const OTHER_ORG = '0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e90';
const PERSON = '0190f5c2-6b3c-7000-8000-000000000001';
const OTHER_PERSON = '0190f5c2-6b3c-7000-8000-000000000002';
const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i);

function bindingFor(purpose: WrappedKeyPurpose, keyId: number): KeyBinding {
  return purpose === 'person_data'
    ? { organisationId: ORG, purpose, keyId, subjectId: PERSON }
    : { organisationId: ORG, purpose, keyId };
}

function keyFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyError) return error.reason;
    throw error;
  }
  throw new Error('expected a KeyError');
}

async function asyncKeyFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeyError) return error.reason;
    throw error;
  }
  throw new Error('expected a KeyError');
}

let crypto: HarbourCrypto;
let kek: SecretKey;

beforeAll(async () => {
  crypto = await createCrypto();
});

beforeEach(() => {
  kek = crypto.generateKey(100);
});

describe('generateKey', () => {
  it('makes distinct random 32-byte keys with the requested id', () => {
    const a = crypto.generateKey(1);
    const b = crypto.generateKey(1);
    expect(a.id).toBe(1);
    expect(a.bytes()).toHaveLength(32);
    expect(toHex(a.bytes())).not.toBe(toHex(b.bytes()));
    expect(() => crypto.generateKey(-1)).toThrow(KeyError);
  });
});

describe('wrapKey / unwrapKey', () => {
  it.each(['kek', 'organisation_data', 'person_data', 'index'] as const)(
    'round trips a %s key',
    (purpose) => {
      const key = crypto.generateKey(7);
      const binding = bindingFor(purpose, 7);
      const wrapped = crypto.wrapKey(kek, key, binding);
      expect(wrapped).toHaveLength(MIN_CIPHERTEXT_BYTES + 32);
      expect(keyIdOf(wrapped)).toBe(kek.id);
      expect(Buffer.from(wrapped).includes(Buffer.from(key.bytes()))).toBe(false);
      const unwrapped = crypto.unwrapKey(kek, wrapped, binding);
      expect(unwrapped.id).toBe(7);
      expect(toHex(unwrapped.bytes())).toBe(toHex(key.bytes()));
      expect(unwrapped).not.toBe(key);
    },
  );

  it('an unwrapped data key decrypts what the original encrypted', () => {
    const key = crypto.generateKey(7);
    const place = { organisationId: ORG, table: 'person', column: 'given_name', rowId: PERSON };
    const ciphertext = crypto.encryptField(key, place, 'Quokka Zzcanary');
    const binding = bindingFor('person_data', 7);
    const unwrapped = crypto.unwrapKey(kek, crypto.wrapKey(kek, key, binding), binding);
    expect(crypto.decryptText(unwrapped, place, ciphertext).reveal()).toBe('Quokka Zzcanary');
  });

  describe('fails with KeyError("unwrap_failed") when anything differs', () => {
    const key = new SecretKey(
      7,
      Uint8Array.from({ length: 32 }, (_, i) => 200 - i),
    );
    const binding: KeyBinding = {
      organisationId: ORG,
      purpose: 'person_data',
      keyId: 7,
      subjectId: PERSON,
    };

    it.each<[string, () => SecretKey, KeyBinding]>([
      ['a wrong KEK with the same id', () => crypto.generateKey(100), binding],
      ['a wrong KEK with another id', () => crypto.generateKey(101), binding],
      ['the right KEK bytes under another id', () => new SecretKey(101, kek.bytes()), binding],
      ['a wrong organisation', () => kek, { ...binding, organisationId: OTHER_ORG }],
      ['a wrong purpose', () => kek, { ...binding, purpose: 'organisation_data' }],
      ['a wrong subject', () => kek, { ...binding, subjectId: OTHER_PERSON }],
      [
        'a missing subject',
        () => kek,
        { organisationId: ORG, purpose: 'organisation_data', keyId: 7 },
      ],
      ['a wrong key id', () => kek, { ...binding, keyId: 8 }],
    ])('%s', (_label, wrapping, wrongBinding) => {
      const wrapped = crypto.wrapKey(kek, key, binding);
      expect(keyFailure(() => crypto.unwrapKey(wrapping(), wrapped, wrongBinding))).toBe(
        'unwrap_failed',
      );
      // The same wrapped key still opens with the right KEK and binding.
      expect(toHex(crypto.unwrapKey(kek, wrapped, binding).bytes())).toBe(toHex(key.bytes()));
    });

    it('a tampered or truncated wrapped key', () => {
      const wrapped = crypto.wrapKey(kek, key, binding);
      for (const index of [0, 1, 5, HEADER_BYTES, wrapped.length - 1]) {
        const tampered = Uint8Array.from(wrapped);
        tampered[index]! ^= 0x01;
        expect(keyFailure(() => crypto.unwrapKey(kek, tampered, binding))).toBe('unwrap_failed');
      }
      expect(keyFailure(() => crypto.unwrapKey(kek, wrapped.subarray(0, 40), binding))).toBe(
        'unwrap_failed',
      );
    });
  });

  it('refuses person_data without a subject', () => {
    const key = crypto.generateKey(7);
    const noSubject: KeyBinding = { organisationId: ORG, purpose: 'person_data', keyId: 7 };
    expect(() => crypto.wrapKey(kek, key, noSubject)).toThrow(PlacementError);
    const wrapped = crypto.wrapKey(kek, key, bindingFor('person_data', 7));
    expect(() => crypto.unwrapKey(kek, wrapped, noSubject)).toThrow(PlacementError);
  });

  it('refuses a binding whose key id is not the key’s', () => {
    expect(
      keyFailure(() => crypto.wrapKey(kek, crypto.generateKey(7), bindingFor('index', 8))),
    ).toBe('invalid_id');
  });

  it('refuses destroyed keys', () => {
    const key = crypto.generateKey(7);
    const wrapped = crypto.wrapKey(kek, key, bindingFor('index', 7));
    key.destroy();
    expect(keyFailure(() => crypto.wrapKey(kek, key, bindingFor('index', 7)))).toBe('destroyed');
    kek.destroy();
    expect(keyFailure(() => crypto.unwrapKey(kek, wrapped, bindingFor('index', 7)))).toBe(
      'destroyed',
    );
  });

  it('uses a fresh nonce each time', () => {
    const key = crypto.generateKey(7);
    const a = crypto.wrapKey(kek, key, bindingFor('index', 7));
    const b = crypto.wrapKey(kek, key, bindingFor('index', 7));
    expect(toHex(a)).not.toBe(toHex(b));
  });
});

describe('LocalKeyProvider', () => {
  const binding: KeyBinding = { organisationId: ORG, purpose: 'kek', keyId: 100 };

  it('wraps and unwraps KEKs under the master key (key id 0)', async () => {
    const provider = crypto.localKeyProvider(MASTER);
    expect(provider).toBeInstanceOf(LocalKeyProvider);
    const wrapped = await provider.wrapKek(kek, binding);
    expect(keyIdOf(wrapped)).toBe(LOCAL_MASTER_KEY_ID);
    const unwrapped = await provider.unwrapKek(wrapped, binding);
    expect(unwrapped.id).toBe(100);
    expect(toHex(unwrapped.bytes())).toBe(toHex(kek.bytes()));
  });

  it('always binds the purpose "kek", whatever the caller passes', async () => {
    const provider = crypto.localKeyProvider(MASTER);
    const wrapped = await provider.wrapKek(kek, { ...binding, purpose: 'organisation_data' });
    const unwrapped = await provider.unwrapKek(wrapped, { ...binding, purpose: 'index' });
    expect(toHex(unwrapped.bytes())).toBe(toHex(kek.bytes()));
    // It is a plain key-wrap envelope under the master key with purpose "kek".
    const master = new SecretKey(LOCAL_MASTER_KEY_ID, MASTER);
    expect(toHex(crypto.unwrapKey(master, wrapped, binding).bytes())).toBe(toHex(kek.bytes()));
    expect(
      keyFailure(() => crypto.unwrapKey(master, wrapped, { ...binding, purpose: 'index' })),
    ).toBe('unwrap_failed');
  });

  it('rejects with KeyError("unwrap_failed") for another master key, organisation or key id', async () => {
    const provider = crypto.localKeyProvider(MASTER);
    const other = crypto.localKeyProvider(MASTER.map((b) => b ^ 0xff));
    const wrapped = await provider.wrapKek(kek, binding);
    expect(await asyncKeyFailure(other.unwrapKek(wrapped, binding))).toBe('unwrap_failed');
    expect(
      await asyncKeyFailure(provider.unwrapKek(wrapped, { ...binding, organisationId: OTHER_ORG })),
    ).toBe('unwrap_failed');
    expect(await asyncKeyFailure(provider.unwrapKek(wrapped, { ...binding, keyId: 101 }))).toBe(
      'unwrap_failed',
    );
    expect(await asyncKeyFailure(provider.unwrapKek(wrapped.subarray(0, 10), binding))).toBe(
      'unwrap_failed',
    );
  });

  it('reports failures as rejected promises, never synchronous throws', async () => {
    const provider = crypto.localKeyProvider(MASTER);
    let wrapping: Promise<Uint8Array> | undefined;
    expect(() => {
      wrapping = provider.wrapKek(kek, { ...binding, keyId: 999 });
    }).not.toThrow();
    expect(await asyncKeyFailure(wrapping!)).toBe('invalid_id');
    provider.destroy();
    let afterDestroy: Promise<Uint8Array> | undefined;
    expect(() => {
      afterDestroy = provider.wrapKek(kek, binding);
    }).not.toThrow();
    expect(await asyncKeyFailure(afterDestroy!)).toBe('destroyed');
  });

  it('has an id that is stable for the same master key and differs across master keys', () => {
    const a = crypto.localKeyProvider(MASTER);
    const b = crypto.localKeyProvider(Uint8Array.from(MASTER));
    const c = crypto.localKeyProvider(MASTER.map((x, i) => (i === 31 ? x ^ 1 : x)));
    expect(a.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    // Known answer: keyed BLAKE2b-64 of "harbour.master-key-fingerprint" under the master key
    // (computed independently with Python hashlib). The id is stored beside every KEK it wrapped.
    expect(a.id).toBe('local:2dfe71e63071a8af');
    expect(a.id).not.toContain(toHex(MASTER).slice(0, 16));
  });

  it('refuses a master key of the wrong length', () => {
    for (const length of [0, 16, 31, 33, 64]) {
      expect(keyFailure(() => crypto.localKeyProvider(new Uint8Array(length)))).toBe(
        'invalid_length',
      );
    }
  });

  it('never serialises or prints key material (nor libsodium’s heap, which holds used keys)', async () => {
    const provider = crypto.localKeyProvider(MASTER);
    await provider.unwrapKek(await provider.wrapKek(kek, binding), binding);
    const json = JSON.stringify({ provider });
    expect(json).toBe(JSON.stringify({ provider: { id: provider.id } }));
    const printed = inspect(provider, { depth: 4 });
    expect(printed).toContain(provider.id);
    expect(printed).not.toContain('HEAPU8');
    expect(printed).not.toContain(toHex(MASTER).slice(0, 8));
  });
});

describe('MasterKeys (a master key being replaced)', () => {
  const binding: KeyBinding = { organisationId: ORG, purpose: 'kek', keyId: 100 };
  const OLD = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

  it('wraps with the current key and unwraps with the key recorded beside the KEK', async () => {
    const previous = crypto.localKeyProvider(OLD);
    const current = crypto.localKeyProvider(MASTER);
    const keys = new MasterKeys(current, [previous]);
    expect(keys.id).toBe(current.id);
    expect(keys.holds(previous.id) && keys.holds(current.id)).toBe(true);
    const old = await previous.wrapKek(kek, binding);
    const opened = await keys.unwrapKek(old, binding, previous.id);
    expect(toHex(opened.bytes())).toBe(toHex(kek.bytes()));
    const fresh = await keys.wrapKek(kek, binding);
    expect(toHex((await current.unwrapKek(fresh, binding, current.id)).bytes())).toBe(
      toHex(kek.bytes()),
    );
    // Named by the wrong key, or by a key it does not hold: refused without trying.
    await expect(keys.unwrapKek(old, binding, current.id)).rejects.toThrow(KeyError);
    await expect(keys.unwrapKek(old, binding, 'local:0000000000000000')).rejects.toThrow(KeyError);
  });

  it('a single local key refuses a KEK another master key wrapped', async () => {
    const previous = crypto.localKeyProvider(OLD);
    const current = crypto.localKeyProvider(MASTER);
    const old = await previous.wrapKek(kek, binding);
    await expect(current.unwrapKek(old, binding, previous.id)).rejects.toThrow(KeyError);
    await expect(current.unwrapKek(old, binding)).rejects.toThrow(KeyError);
    await expect(new MasterKeys(current).unwrapKek(old, binding, previous.id)).rejects.toThrow(
      KeyError,
    );
  });
});

describe('serialiseWrappedKey / parseWrappedKey', () => {
  function record(subjectId?: string): WrappedKeyRecord {
    const purpose = subjectId === undefined ? 'organisation_data' : 'person_data';
    const key = crypto.generateKey(7);
    const binding: KeyBinding =
      subjectId === undefined
        ? { organisationId: ORG, purpose, keyId: 7 }
        : { organisationId: ORG, purpose, keyId: 7, subjectId };
    return {
      ...binding,
      wrappingKeyId: kek.id,
      wrappedBy: 'kek',
      wrapped: crypto.wrapKey(kek, key, binding),
    };
  }

  function mutate(text: string, change: (value: Record<string, unknown>) => void): string {
    const value = JSON.parse(text) as Record<string, unknown>;
    change(value);
    return JSON.stringify(value);
  }

  it.each([undefined, PERSON])('round trips a record (subject %p)', (subjectId) => {
    const original = record(subjectId);
    const text = serialiseWrappedKey(original);
    expect(text).not.toContain('\n');
    const parsed = parseWrappedKey(text);
    expect(parsed).toEqual({ ...original, wrapped: parsed.wrapped });
    expect(toHex(parsed.wrapped)).toBe(toHex(original.wrapped));
    expect('subjectId' in parsed).toBe(subjectId !== undefined);
    const unwrapped = crypto.unwrapKey(kek, parsed.wrapped, parsed);
    expect(unwrapped.id).toBe(7);
  });

  it('writes a versioned JSON line with the envelope in base64', () => {
    const original = record(PERSON);
    const value = JSON.parse(serialiseWrappedKey(original)) as Record<string, unknown>;
    expect(value).toEqual({
      v: 1,
      organisationId: ORG,
      purpose: 'person_data',
      keyId: 7,
      subjectId: PERSON,
      wrappingKeyId: kek.id,
      wrappedBy: 'kek',
      wrapped: Buffer.from(original.wrapped).toString('base64'),
    });
  });

  it.each<[string, (value: Record<string, unknown>) => void]>([
    ['another format version', (v) => (v['v'] = 2)],
    ['no format version', (v) => delete v['v']],
    ['an unknown purpose', (v) => (v['purpose'] = 'admin')],
    ['a missing organisation', (v) => delete v['organisationId']],
    ['a negative key id', (v) => (v['keyId'] = -1)],
    ['a fractional key id', (v) => (v['keyId'] = 1.5)],
    ['a key id above 2^32 - 1', (v) => (v['keyId'] = 2 ** 32)],
    ['a key id as a string', (v) => (v['keyId'] = '7')],
    ['a missing wrapping key id', (v) => delete v['wrappingKeyId']],
    ['a wrapping key id that is not the envelope’s', (v) => (v['wrappingKeyId'] = 101)],
    ['a non-string subject', (v) => (v['subjectId'] = 5)],
    ['a missing wrappedBy', (v) => delete v['wrappedBy']],
    ['wrapped as an array', (v) => (v['wrapped'] = [1, 2, 3])],
    ['wrapped in lenient base64', (v) => (v['wrapped'] = `${String(v['wrapped'])}!`)],
    ['a person key without its subject', (v) => delete v['subjectId']],
    ['a malformed organisation uuid', (v) => (v['organisationId'] = 'org')],
    ['an upper-case subject uuid', (v) => (v['subjectId'] = PERSON.toUpperCase())],
  ])('rejects a record with %s (KeyError "malformed_record")', (_label, change) => {
    const text = mutate(serialiseWrappedKey(record(PERSON)), change);
    expect(keyFailure(() => parseWrappedKey(text))).toBe('malformed_record');
  });

  it('rejects a subject on a key that is not a person key', () => {
    const text = mutate(serialiseWrappedKey(record()), (v) => (v['subjectId'] = PERSON));
    expect(keyFailure(() => parseWrappedKey(text))).toBe('malformed_record');
  });

  it('rejects envelopes that are not v1 ciphertexts', () => {
    const text = serialiseWrappedKey(record());
    const truncated = mutate(
      text,
      (v) => (v['wrapped'] = Buffer.from([1, 1, 0, 0, 0, 100]).toString('base64')),
    );
    expect(keyFailure(() => parseWrappedKey(truncated))).toBe('malformed_record');
    const wrongVersion = mutate(text, (v) => {
      const bytes = fromHex(toHex(Buffer.from(v['wrapped'] as string, 'base64')));
      bytes[0] = 2;
      v['wrapped'] = Buffer.from(bytes).toString('base64');
    });
    expect(keyFailure(() => parseWrappedKey(wrongVersion))).toBe('malformed_record');
  });

  it('rejects text that is not a JSON object', () => {
    for (const text of ['', 'not json', '{', '[]', '7', '"x"', 'null']) {
      expect(keyFailure(() => parseWrappedKey(text))).toBe('malformed_record');
    }
  });
});
