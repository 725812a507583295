import { createUuidV7Generator, isUuid, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('produces version 7, variant 10xx, lower-case canonical UUIDs', () => {
    for (let i = 0; i < 100; i++) {
      const id = uuidv7();
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect(['8', '9', 'a', 'b']).toContain(id[19]);
    }
  });

  it('encodes the millisecond timestamp in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    const id = createUuidV7Generator()(at);
    const ms = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(at);
    expect(ms).toBeLessThan(at + 5);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const at = Date.UTC(2030, 0, 1);
    const next = createUuidV7Generator();
    const ids = Array.from({ length: 5000 }, () => next(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

it('never goes backwards when the clock does', () => {
  const next = createUuidV7Generator();
  const later = next(Date.UTC(2030, 0, 1, 0, 0, 1));
  const earlier = next(Date.UTC(2030, 0, 1));
  expect(earlier > later).toBe(true);
});

describe('isUuid', () => {
  it('rejects upper case, braces and junk', () => {
    expect(isUuid('0190F3A2-1B2C-7D3E-8F40-123456789ABC')).toBe(false);
    expect(isUuid('{0190f3a2-1b2c-7d3e-8f40-123456789abc}')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
    expect(isUuid('0190f3a2-1b2c-7d3e-8f40-123456789abc')).toBe(true);
  });
});
