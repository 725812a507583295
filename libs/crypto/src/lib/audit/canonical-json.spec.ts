import fc from 'fast-check';
import { toHex } from '../bytes';
import {
  CanonicalJsonError,
  canonicalJson,
  canonicalJsonBytes,
  MAX_CANONICAL_JSON_DEPTH,
} from './canonical-json';

/**
 * RFC 8785 (JCS) examples, from the RFC itself (§3.2.2–3.2.4 and Appendix B) and from the test
 * data of the reference implementation by the RFC's author: cyberphone/json-canonicalization,
 * `testdata/input/*.json` → `testdata/output/*.json` (weird.json at commit
 * 77917fbd5d923bca23a9b5eb8851deec918016bf, structures.json and arrays.json at
 * 72a2163bae9803964410d89cea8874787a95718b, french.json at
 * b01b0235cf94374efe5d11d00a86a11054756374, unicode.json at
 * ff225671c5de178c946aad33ac5ef454d236505e, values.json at
 * 1e2733fc2bd37ed680fbb595f063f7bc62b4a0ec, simpleString at
 * 987e82e78b88f0f77588d4b3f0496dbf12bc6111; Apache-2.0). Inputs are parsed with JSON.parse, as
 * the reference implementations do.
 */

function reason(value: unknown): string | null {
  try {
    canonicalJson(value);
    return null;
  } catch (error) {
    if (error instanceof CanonicalJsonError) return error.reason;
    throw error;
  }
}

function numberFromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('RFC 8785 examples', () => {
  it('§3.2.2/§3.2.3: the sample object, except for the unsafe integer 1E30', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50,
                  2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    // Harbour refuses integers beyond 2^53 − 1 (they are not exact in I-JSON)...
    expect(reason(JSON.parse(input))).toBe('unsafe_integer');
    // ...and canonicalises the rest exactly as the RFC's output.
    const value = JSON.parse(input.replace('1E30, ', '')) as unknown;
    expect(canonicalJson(value)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('§3.2.3: members sorted by UTF-16 code units, and §3.2.4: the UTF-8 bytes', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const output = canonicalJson(JSON.parse(input));
    expect(output).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign",' +
        '"😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // The emoji (U+1F600 = D83D DE00) sorts before U+FB33: by code units, not code points.
    const bytes = canonicalJsonBytes(JSON.parse(input));
    expect(toHex(bytes.subarray(0, 15))).toBe('7b225c72223a224361727269616765');
    expect(toHex(bytes)).toContain(toHex(Buffer.from('"\u0080":', 'utf8')));
    expect(toHex(bytes)).toContain('f09f9880'); // U+1F600 as UTF-8
    expect(toHex(bytes)).toContain('efacb3'); // U+FB33 as UTF-8
    expect(Buffer.from(bytes).toString('utf8')).toBe(output);
  });

  // Appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
  const APPENDIX_B: readonly (readonly [string, string])[] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(APPENDIX_B)(
    'Appendix B: %s serialises as %s, or is refused as an unsafe integer',
    (bits, text) => {
      const value = numberFromBits(bits);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        expect(reason(value)).toBe('unsafe_integer');
        // The serialisation Harbour would use is still the RFC's (String = JSON.stringify).
        expect(String(value)).toBe(text);
      } else {
        expect(canonicalJson(value)).toBe(text);
        expect(canonicalJson([value])).toBe(`[${text}]`);
      }
    },
  );

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
    ['fff0000000000000', '-Infinity'],
  ])('Appendix B: %s (%s) is refused', (bits) => {
    expect(reason(numberFromBits(bits))).toBe('non_finite_number');
  });

  it('Appendix B: 13 of the 24 samples are accepted; the 11 integers beyond 2^53 are refused', () => {
    const accepted = APPENDIX_B.filter(([bits]) => reason(numberFromBits(bits)) === null);
    expect(accepted).toHaveLength(13);
  });
});

describe('cyberphone/json-canonicalization test data', () => {
  it.each([
    [
      'weird',
      String.raw`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`,
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",' +
        '"ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😂":"Smiley",' +
        '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
    [
      'structures',
      String.raw`{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
}`,
      String.raw`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}`,
    ],
    [
      'french',
      `{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ingnore locale"
}`,
      '{"peach":"This sorting order","péché":"is wrong according to French",' +
        '"pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ],
    [
      'unicode (not normalised: NFC is not applied)',
      String.raw`{
  "Unnormalized Unicode":"\u1e0d\u0307"
}`,
      '{"Unnormalized Unicode":"\u1e0d\u0307"}',
    ],
    [
      'values (without 1E30, see above)',
      String.raw`{
  "numbers": [4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
      String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[4.5,333333333.3333333,0.002,1e-27]}`,
    ],
    // arrays.json has no published output file; this is the JCS result by the rules above.
    [
      'arrays',
      '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]',
      '[56,{"1":[],"10":null,"d":true}]',
    ],
  ])('%s', (_name, input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it('simpleString (outhex)', () => {
    const bytes = canonicalJsonBytes(JSON.parse('    "this is a test string 1235"'));
    expect(toHex(bytes)).toBe(
      '22 74 68 69 73 20 69 73 20 61 20 74 65 73 74 20 73 74 72 69 6E 67 20 31 32 33 35 22'
        .replace(/ /g, '')
        .toLowerCase(),
    );
  });
});

describe('strings', () => {
  it('escapes exactly ", \\ and the C0 controls, with short forms where JSON has them', () => {
    const expected: Record<number, string> = {
      0x08: '\\b',
      0x09: '\\t',
      0x0a: '\\n',
      0x0c: '\\f',
      0x0d: '\\r',
    };
    for (let code = 0; code < 0x20; code++) {
      const escape = expected[code] ?? `\\u00${code.toString(16).padStart(2, '0')}`;
      expect(canonicalJson(String.fromCharCode(code))).toBe(`"${escape}"`);
    }
    expect(canonicalJson('"')).toBe('"\\""');
    expect(canonicalJson('\\')).toBe('"\\\\"');
    expect(canonicalJson('/')).toBe('"/"');
    expect(canonicalJson('\u001f')).toBe('"\\u001f"'); // lower-case hex
    expect(canonicalJson('\u000b')).toBe('"\\u000b"'); // vertical tab has no short form
  });

  it('writes U+007F, U+2028, U+2029, non-ASCII and astral characters as they are', () => {
    for (const text of ['\u007f', '\u2028', '\u2029', '\u0085', 'é', '中文', '😀', '\ufeff']) {
      expect(canonicalJson(text)).toBe(`"${text}"`);
    }
    expect(toHex(canonicalJsonBytes('\u2028'))).toBe('22e280a822');
    expect(toHex(canonicalJsonBytes('😀'))).toBe('22f09f988022');
  });

  it('an ANSI escape sequence is escaped, not interpreted', () => {
    expect(canonicalJson('\u001b[31mred\u001b[0m')).toBe('"\\u001b[31mred\\u001b[0m"');
  });

  it('names with newlines, quotes, ANSI escapes and \\u2028 round-trip through JSON.parse', () => {
    const event = {
      actorName: 'O\'Brien "Bob"\nSecond line\r\n',
      purpose: '\u001b[31mred\u001b[0m \u2028 \u2029 \\ \t \u0000',
      fields: ['given_name\u2028', '"family_name"'],
    };
    const text = canonicalJson(event);
    expect([...text].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
    expect(JSON.parse(text)).toEqual(event);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('is what JSON.stringify writes for any well-formed string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(canonicalJson(text)).toBe(JSON.stringify(text));
      }),
      { seed: 8785, numRuns: 300 },
    );
  });

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a reversed pair', '\ude00\ud83d'],
    ['a high surrogate at the end', 'abc\ud83d'],
  ])('refuses %s (no UTF-8 form), as a value and as a key', (_name, text) => {
    expect(reason(text)).toBe('lone_surrogate');
    expect(reason({ [text]: 1 })).toBe('lone_surrogate');
  });
});

describe('objects and arrays', () => {
  it('sorts keys by UTF-16 code units, not by code point or locale', () => {
    const value = { b: 1, a: 2, B: 3, '\uffff': 4, '\ud83d\ude00': 5, é: 6, '': 7, aa: 8 };
    expect(canonicalJson(value)).toBe(
      '{"":7,"B":3,"a":2,"aa":8,"b":1,"é":6,"\ud83d\ude00":5,"\uffff":4}',
    );
  });

  it('sorts integer-like keys as strings ("10" before "9"), unlike object enumeration order', () => {
    expect(canonicalJson({ 9: 'a', 10: 'b', 1: 'c', x: 'd' })).toBe(
      '{"1":"c","10":"b","9":"a","x":"d"}',
    );
  });

  it('does not depend on insertion order (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.integer()), {
          selector: ([key]) => key,
          maxLength: 12,
        }),
        (entries) => {
          const forward = Object.fromEntries(entries);
          const backward = Object.fromEntries([...entries].reverse());
          expect(canonicalJson(backward)).toBe(canonicalJson(forward));
          const keys = Object.keys(JSON.parse(canonicalJson(forward)) as object);
          expect(keys.sort()).toEqual(Object.keys(forward).sort());
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('round-trips any JSON value through JSON.parse (property)', () => {
    const safeNumber = fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((n) => !Number.isInteger(n) || Number.isSafeInteger(n));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant(null),
        fc.boolean(),
        safeNumber,
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), {
          maxKeys: 5,
        }),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        // -0 becomes 0; everything else survives exactly.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(Buffer.from(canonicalJsonBytes(v)).toString('utf8')).toBe(text);
      }),
      { seed: 7493, numRuns: 500 },
    );
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['b'] = 1;
    bare['a'] = [true, null];
    expect(canonicalJson(bare)).toBe('{"a":[true,null],"b":1}');
  });

  it('nests up to MAX_CANONICAL_JSON_DEPTH levels', () => {
    let value: unknown = 0;
    for (let i = 0; i < MAX_CANONICAL_JSON_DEPTH; i++) value = [value];
    expect(canonicalJson(value)).toBe('['.repeat(64) + '0' + ']'.repeat(64));
    expect(reason([value])).toBe('too_deep');
    expect(reason({ a: value })).toBe('too_deep');
  });

  it('allows the same object twice (a DAG is not a cycle)', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });
});

describe('numbers', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1, '-1'],
    [0.1, '0.1'],
    [123.456, '123.456'],
    [-1.5e-300, '-1.5e-300'],
    [2 ** 51 + 0.5, '2251799813685248.5'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    [Number.MIN_VALUE, '5e-324'],
    [1e-7, '1e-7'],
  ])('%p → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('refuses NaN, ±Infinity and integers beyond ±(2^53 − 1)', () => {
    expect(reason(Number.NaN)).toBe('non_finite_number');
    expect(reason(Infinity)).toBe('non_finite_number');
    expect(reason(-Infinity)).toBe('non_finite_number');
    expect(reason(2 ** 53)).toBe('unsafe_integer');
    expect(reason(-(2 ** 53))).toBe('unsafe_integer');
    expect(reason(1e21)).toBe('unsafe_integer');
    expect(reason({ n: Number.MAX_VALUE })).toBe('unsafe_integer');
  });
});

describe('refused values (never silently dropped or converted)', () => {
  class Event {
    readonly id = 1;
  }
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  const arrayCycle: unknown[] = [];
  arrayCycle.push([arrayCycle]);

  it.each([
    ['undefined', undefined, 'undefined'],
    ['an undefined member', { a: undefined }, 'undefined'],
    ['undefined in an array', [undefined], 'undefined'],
    ['a function', () => 1, 'function'],
    ['a function member', { toJSON: () => 'x' }, 'function'],
    ['a symbol', Symbol('x'), 'symbol'],
    ['a symbol key', { [Symbol('x')]: 1 }, 'symbol'],
    ['a bigint', 1n, 'bigint'],
    ['a Date', new Date(0), 'not_plain_object'],
    ['a Map', new Map(), 'not_plain_object'],
    ['a Uint8Array', new Uint8Array(2), 'not_plain_object'],
    ['a boxed string', new String('x'), 'not_plain_object'],
    ['a class instance', new Event(), 'not_plain_object'],
    ['a regular expression', /x/, 'not_plain_object'],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', [1, , 3], 'sparse_array'],
    ['a cycle', cycle, 'cycle'],
    ['a cycle through arrays', arrayCycle, 'cycle'],
  ])('%s', (_name, value, expected) => {
    expect(reason(value)).toBe(expected);
  });

  it('error messages carry the reason only', () => {
    try {
      canonicalJson({ secret: 'Somchai', n: NaN });
      throw new Error('expected a CanonicalJsonError');
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect(String(error)).toBe('CanonicalJsonError: cannot canonicalise JSON: non_finite_number');
    }
  });
});
