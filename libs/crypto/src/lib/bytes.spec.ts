import fc from 'fast-check';
import { concat, fromHex, lengthPrefixed, readU32be, toHex, u32be, utf8, uuidBytes } from './bytes';
import { PlacementError } from './errors';

describe('u32be / readU32be', () => {
  it('encodes big-endian and reads back at any offset', () => {
    expect(toHex(u32be(0x01020304))).toBe('01020304');
    expect(toHex(u32be(0))).toBe('00000000');
    expect(toHex(u32be(0xffffffff))).toBe('ffffffff');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.nat({ max: 8 }), (value, offset) => {
        const buffer = concat([
          new Uint8Array(offset).fill(0xaa),
          u32be(value),
          Uint8Array.of(0xbb),
        ]);
        expect(readU32be(buffer, offset)).toBe(value);
        expect(readU32be(buffer.subarray(offset), 0)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it.each([-1, 0x100000000, 0.5, Number.NaN])('refuses %p', (value) => {
    expect(() => u32be(value)).toThrow(RangeError);
  });
});

describe('lengthPrefixed', () => {
  it('is u32be(length) ‖ bytes', () => {
    expect(toHex(lengthPrefixed(new Uint8Array(0)))).toBe('00000000');
    expect(toHex(lengthPrefixed(utf8('ab')))).toBe('000000026162');
  });
});

describe('uuidBytes', () => {
  it('returns the 16 bytes of a canonical lower-case uuid', () => {
    expect(toHex(uuidBytes('0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f', 'rowId'))).toBe(
      '0190f5c26b3a7c1e8d2f3a4b5c6d7e8f',
    );
  });

  it('refuses anything else, naming the part but not the value', () => {
    try {
      uuidBytes('Quokka Zzcanary', 'rowId');
      throw new Error('expected a PlacementError');
    } catch (error) {
      expect(error).toBeInstanceOf(PlacementError);
      expect((error as PlacementError).part).toBe('rowId');
      expect((error as Error).message).not.toContain('Quokka');
    }
  });
});

describe('toHex / fromHex', () => {
  it('round trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(toHex(fromHex(toHex(bytes)))).toBe(toHex(bytes));
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it.each(['0', 'abc', 'zz', '0x00', ' 00'])('fromHex refuses %j', (hex) => {
    expect(() => fromHex(hex)).toThrow(RangeError);
  });
});
