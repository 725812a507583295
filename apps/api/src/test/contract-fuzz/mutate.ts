import type { FuzzRequest, RequestGenerator } from './generate';
import { resolveSchema, type Operation, type Schema } from './contract';

/** The mutations of a well-formed request that make one the contract refuses. */

/** Values of the wrong JSON type for a schema. */
function wrongTypes(schema: Schema): unknown[] {
  if (schema.enum !== undefined) return ['not_a_member', 7, ['x']];
  switch (schema.type) {
    case 'integer':
      return ['12', 1.5, true, [], {}];
    case 'number':
      return ['1.5', false, {}, 'NaN'];
    case 'boolean':
      return ['true', 1, 'yes', []];
    case 'array':
      return ['x', 5, { length: 1 }];
    case 'object':
      return ['{}', 5, []];
    default:
      return schema.format === 'uuid'
        ? ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', 12345, '']
        : schema.format === 'date'
          ? ['2024-02-30', '2024-13-01', '31/12/2024', 20240101]
          : [12345, true, ['a'], { a: 1 }];
  }
}

/** Query values (all text) that break a parameter's schema. */
function badQueryValues(schema: Schema): string[] {
  if (schema.enum !== undefined) return ['not_a_member', ''];
  if (schema.format === 'uuid') return ['not-a-uuid', '00000000-0000-0000-0000-00000000000g'];
  if (schema.format === 'date') return ['2024-02-30', '2024-13-01', '31/12/2024'];
  if (schema.format === 'date-time') return ['2024-02-30T10:00:00Z', 'yesterday', '10:00'];
  if (schema.pattern !== undefined) return ['!!', 'x'.repeat(80)];
  switch (schema.type) {
    case 'integer':
      return [
        'abc',
        '1.5',
        ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)]),
        ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]),
      ];
    case 'number':
      return ['abc', 'NaN'];
    case 'boolean':
      return ['yes', 'maybe', '2'];
    default:
      return schema.maxLength === undefined ? [] : ['q'.repeat(schema.maxLength + 1)];
  }
}

/** A value just outside a field's bounds. */
function outOfBounds(schema: Schema): unknown {
  if (schema.maxLength !== undefined) return 'x'.repeat(schema.maxLength + 1);
  if (schema.maximum !== undefined) return schema.maximum + 1;
  if (schema.minimum !== undefined) return schema.minimum - 1;
  if (schema.minLength !== undefined && schema.minLength > 0)
    return 'x'.repeat(schema.minLength - 1);
  return undefined;
}

function setAt(root: unknown, at: readonly (string | number)[], value: unknown): unknown {
  const copy = (structuredClone(root) ?? {}) as Record<string | number, unknown>;
  let node = copy;
  at.slice(0, -1).forEach((step, i) => {
    if (node[step] === undefined || node[step] === null || typeof node[step] !== 'object')
      node[step] = typeof at[i + 1] === 'number' ? [{}] : {};
    node = node[step] as Record<string | number, unknown>;
  });
  node[at.at(-1)!] = value;
  return copy;
}

const BAD_PATHS = [
  'not-a-uuid',
  '1',
  "' OR '1'='1",
  '%00',
  'ü'.repeat(40),
  'x'.repeat(300),
  '..%2F..%2Fetc',
];
const BAD_CONTENT = [
  ['text/plain', 'hello'],
  ['application/xml', '<a>1</a>'],
  ['application/x-www-form-urlencoded', 'a=1&b=2'],
  [
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
] as const;

export function mutate(
  gen: RequestGenerator,
  operation: Operation,
  base: FuzzRequest,
  kind: string,
  pick: <T>(list: readonly T[]) => T,
): Omit<FuzzRequest, 'kind'> {
  const json = (value: unknown): Omit<FuzzRequest, 'kind'> => ({
    ...base,
    body: JSON.stringify(value),
    contentType: 'application/json',
    value,
  });
  const leaves = operation.body === undefined ? [] : gen.leaves(operation.body);
  switch (kind) {
    case 'extra-field':
      return json({
        ...(base.value as object),
        [pick(['__proto_x', 'admin', 'organisationId', 'zzExtra'])]: pick([1, 'x', true]),
      });
    case 'missing-required': {
      const schema = resolveSchema(gen.document, operation.body!);
      const copy = { ...(base.value as Record<string, unknown>) };
      delete copy[pick(schema.required!)];
      return json(copy);
    }
    case 'wrong-type': {
      const [at, schema] = pick(leaves);
      return json(setAt(base.value, at, pick(wrongTypes(schema))));
    }
    case 'out-of-bounds': {
      const bounded = leaves.filter(([, s]) => outOfBounds(s) !== undefined);
      const [at, schema] = pick(bounded);
      return json(setAt(base.value, at, outOfBounds(schema)));
    }
    case 'huge-string': {
      const [at] = pick(leaves);
      return json(
        setAt(base.value, at, pick(['a', '\u{1F600}', 'ก']).repeat(pick([70_000, 400_000]))),
      );
    }
    case 'wrong-body': {
      const text = pick(['[]', 'null', '"text"', '1', 'true', '[{}]']);
      return {
        ...base,
        body: text,
        contentType: 'application/json',
        value: JSON.parse(text) as unknown,
      };
    }
    case 'malformed-json':
      return {
        ...base,
        body: pick(['{"a":', '{', "{'a':1}", '{"a":1,}', '\u0000']),
        contentType: 'application/json',
        value: undefined,
      };
    case 'bad-content-type': {
      const [type, text] = pick(BAD_CONTENT);
      return { ...base, body: text, contentType: type, value: undefined };
    }
    case 'bad-path': {
      const [url, query] = base.url.split('?') as [string, string | undefined];
      const names = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const target = pick(names);
      const segments = operation.path.split('/');
      const actual = url.split('/');
      const i = segments.indexOf(`{${target}}`);
      actual[i] = pick(BAD_PATHS);
      return {
        ...base,
        url: query === undefined ? actual.join('/') : `${actual.join('/')}?${query}`,
      };
    }
    case 'bad-query': {
      const params = gen.refusableQuery(operation);
      const param = pick(params);
      const schema = resolveSchema(gen.document, param.schema!);
      const bad =
        schema.maxLength !== undefined && pick([true, false])
          ? 'q'.repeat(schema.maxLength + 1)
          : pick(badQueryValues(schema));
      const [url, query = ''] = base.url.split('?') as [string, string?];
      const kept = query
        .split('&')
        .filter((pair) => pair !== '' && !pair.startsWith(`${encodeURIComponent(param.name)}=`));
      kept.push(`${encodeURIComponent(param.name)}=${encodeURIComponent(bad)}`);
      return { ...base, url: `${url}?${kept.join('&')}` };
    }
    case 'bad-idempotency-key':
      return {
        ...base,
        headers: {
          ...base.headers,
          'Idempotency-Key': pick([
            'short',
            'x'.repeat(65),
            'has space in it 1234',
            'bad/key+chars=!!!!!',
          ]),
        },
      };
    case 'no-xsrf':
      return { ...base, xsrf: false };
    default:
      throw new Error(`unknown mutation ${kind}`);
  }
}
