import { format, inspect } from 'node:util';
import { toHex } from './bytes';
import { KeyError } from './errors';
import { KEY_BYTES, SecretKey } from './secret-key';

/** Recognisable key bytes: any hex, base64 or decimal dump of them would be found. */
const BYTES = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const HEX = toHex(BYTES);
const BASE64 = Buffer.from(BYTES).toString('base64');

function keyFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyError) return error.reason;
    throw error;
  }
  throw new Error('expected a KeyError');
}

function expectNoKeyMaterial(out: string): void {
  expect(out).not.toContain(HEX);
  expect(out).not.toContain(HEX.slice(0, 8));
  expect(out).not.toContain(BASE64.slice(0, 12));
  expect(out).not.toMatch(/160,\s*161/); // decimal 0xa0, 0xa1
  expect(out).not.toMatch(/a0,?\s*a1/i); // <Buffer a0 a1 ...> or hex lists
}

describe('SecretKey construction', () => {
  it('keeps the id and a copy of 32 bytes', () => {
    expect(KEY_BYTES).toBe(32);
    const input = Uint8Array.from(BYTES);
    const key = new SecretKey(7, input);
    expect(key.id).toBe(7);
    input.fill(0);
    expect(toHex(key.bytes())).toBe(HEX);
  });

  it.each([0, 1, 0x7fffffff, 0xffffffff])('accepts key id %i', (id) => {
    expect(new SecretKey(id, BYTES).id).toBe(id);
  });

  it.each([-1, 0x100000000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects key id %p with KeyError("invalid_id")',
    (id) => {
      expect(keyFailure(() => new SecretKey(id, BYTES))).toBe('invalid_id');
    },
  );

  it.each([0, 1, 16, 31, 33, 64])(
    'rejects %i key bytes with KeyError("invalid_length")',
    (length) => {
      expect(keyFailure(() => new SecretKey(1, new Uint8Array(length)))).toBe('invalid_length');
    },
  );
});

describe('SecretKey never shows its bytes', () => {
  const key = new SecretKey(7, BYTES);

  it.each([
    ['JSON.stringify', () => JSON.stringify({ key })],
    ['template literal', () => `${key as unknown as string}`],
    ['String()', () => String(key)],
    ['concatenation', () => 'key: ' + key.toString()],
    ['util.inspect', () => inspect({ nested: { key } }, { depth: 10 })],
    ['util.inspect showHidden', () => inspect(key, { showHidden: true, depth: 10 })],
    [
      'util.inspect without custom inspect',
      () => inspect(key, { customInspect: false, depth: 10 }),
    ],
    ['util.format %s %o %O %j', () => format('%s %o %O %j', key, key, key, key)],
    ['Object.entries', () => JSON.stringify(Object.entries(key))],
    ['spread', () => inspect({ ...key }, { depth: 10 })],
  ])('%s', (_label, render) => {
    expectNoKeyMaterial(render());
  });

  it('prints its id alone', () => {
    expect(JSON.stringify(key)).toBe('"[SecretKey 7]"');
    expect(String(key)).toBe('[SecretKey 7]');
    expect(`${String(key)}`).toBe('[SecretKey 7]');
    expect(inspect(key)).toBe('[SecretKey 7]');
    expect(Object.keys(key)).toEqual(['id']);
  });
});

describe('SecretKey.subkey', () => {
  it('derives once per (purpose, scope, name) and returns the cached subkey afterwards', () => {
    const key = new SecretKey(1, BYTES);
    const derive = jest.fn((bytes: Uint8Array) => bytes.map((b) => b ^ 0xff));
    const first = key.subkey('field', 'person', 'given_name', derive);
    const second = key.subkey('field', 'person', 'given_name', derive);
    expect(second).toBe(first);
    expect(derive).toHaveBeenCalledTimes(1);
    expect(derive.mock.calls[0]![0]).toBe(key.bytes());
    key.subkey('field', 'person', 'family_name', derive);
    key.subkey('index', 'person', 'given_name', derive);
    key.subkey('field', 'person_alias', 'given_name', derive);
    expect(derive).toHaveBeenCalledTimes(4);
  });
});

describe('SecretKey.destroy', () => {
  it('zeroes the bytes and every subkey, and later use throws KeyError("destroyed")', () => {
    const key = new SecretKey(3, BYTES);
    const bytes = key.bytes();
    const subkeyA = key.subkey('field', 'person', 'a', (b) => b.map((x) => x ^ 0x55));
    const subkeyB = key.subkey('index', 'b', '', (b) => b.map((x) => x ^ 0x33));
    expect(key.destroyed).toBe(false);
    expect(bytes.some((b) => b !== 0)).toBe(true);
    expect(subkeyA.some((b) => b !== 0)).toBe(true);

    key.destroy();

    expect(key.destroyed).toBe(true);
    expect(bytes.every((b) => b === 0)).toBe(true);
    expect(subkeyA.every((b) => b === 0)).toBe(true);
    expect(subkeyB.every((b) => b === 0)).toBe(true);
    expect(keyFailure(() => key.bytes())).toBe('destroyed');
    expect(keyFailure(() => key.subkey('field', 'person', 'a', (b) => b))).toBe('destroyed');
    expect(keyFailure(() => key.subkey('field', 'person', 'new', (b) => b))).toBe('destroyed');
  });

  it('is idempotent and leaves the id printable', () => {
    const key = new SecretKey(4, BYTES);
    key.destroy();
    expect(() => key.destroy()).not.toThrow();
    expect(String(key)).toBe('[SecretKey 4]');
  });

  it('does not touch the caller’s input buffer', () => {
    const input = Uint8Array.from(BYTES);
    new SecretKey(5, input).destroy();
    expect(toHex(input)).toBe(HEX);
  });
});
