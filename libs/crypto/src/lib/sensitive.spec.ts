import { format, inspect } from 'node:util';
import { Sensitive, sensitive } from './sensitive';

const secret = 'Quokka Zzcanary';

describe('Sensitive', () => {
  const value = sensitive(secret);

  it('reveals the value only on request', () => {
    expect(value.reveal()).toBe(secret);
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify({ name: value })],
    ['String()', () => String(value)],
    ['template literal', () => `${value as unknown as string}`],
    ['concatenation', () => 'name: ' + (value as unknown as string)],
    ['util.inspect', () => inspect({ nested: { name: value } }, { depth: 10 })],
    ['util.format %o', () => format('%o', value)],
    ['util.format %s', () => format('%s', value)],
  ])('prints [REDACTED] through %s', (_label, render) => {
    const out = render();
    expect(out).toContain('[REDACTED]');
    expect(out).not.toContain('Quokka');
  });

  it('keeps the wrapper through map', () => {
    const upper = value.map((v) => v.toUpperCase());
    expect(upper).toBeInstanceOf(Sensitive);
    expect(upper.reveal()).toBe(secret.toUpperCase());
    expect(JSON.stringify(upper)).toBe('"[REDACTED]"');
  });

  it('does not expose the value as an enumerable property', () => {
    expect(Object.keys(value)).toEqual([]);
    expect(Object.values(value)).toEqual([]);
  });
});
