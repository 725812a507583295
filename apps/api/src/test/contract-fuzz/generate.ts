import fc from 'fast-check';
import { mutate } from './mutate';
import {
  resolveSchema,
  type Document,
  type Operation,
  type Parameter,
  type Schema,
} from './contract';

/**
 * Requests generated from the contract with fast-check (seeded: the same seed gives the same
 * requests): values drawn from each request schema (enums, formats, patterns, lengths and
 * ranges, with their bounds weighted in), and mutations of them that the contract refuses.
 */
export interface FuzzRequest {
  readonly operation: Operation;
  /** `valid`, or the mutation that makes it one the contract refuses. */
  readonly kind: string;
  /** Path and query. */
  readonly url: string;
  /** The raw body, if any. */
  readonly body?: string;
  readonly contentType?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether to echo the XSRF cookie on an unsafe request (as the console does). */
  readonly xsrf: boolean;
  /** The JSON body before serialisation (for the generator's own check), if any. */
  readonly value?: unknown;
}

/** Ids of real records, by the name of the field or parameter that carries one. */
export type IdPool = (name: string, path: string) => readonly string[];

const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1);
const LAST_DAY = Date.UTC(2027, 11, 31);

/** A stable 31-bit seed for one part of a run. */
export function seedFor(seed: number, ...parts: string[]): number {
  let h = seed >>> 0 || 1;
  for (const ch of parts.join('\u0000')) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
  }
  return h & 0x7fffffff;
}

/** A small seeded generator for picking mutations (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class RequestGenerator {
  constructor(
    readonly document: Document,
    private readonly ids: IdPool,
  ) {}

  /** An arbitrary of values the schema accepts. */
  value(name: string, raw: Schema, path: string, depth = 0): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.document, raw);
    const arb = this.nonNull(name, schema, path, depth);
    return schema.nullable === true ? fc.option(arb, { nil: null, freq: 8 }) : arb;
  }

  private nonNull(
    name: string,
    schema: Schema,
    path: string,
    depth: number,
  ): fc.Arbitrary<unknown> {
    if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
    if (schema.properties !== undefined || schema.type === 'object') {
      const props = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(props))
        model[key] = this.value(key, value, path, depth + 1);
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    switch (schema.type) {
      case 'array': {
        const min = schema.minItems ?? 0;
        const max = Math.min(schema.maxItems ?? min + 3, depth > 0 ? min + 2 : min + 4);
        const items = this.value(name, schema.items ?? { type: 'string' }, path, depth + 1);
        const arrays = fc.array(items, { minLength: min, maxLength: Math.max(min, max) });
        if (schema.maxItems === undefined || schema.maxItems > 20 || depth > 0) return arrays;
        // The upper bound itself, now and then.
        const full = fc.array(items, { minLength: schema.maxItems, maxLength: schema.maxItems });
        return fc.oneof({ arbitrary: arrays, weight: 5 }, { arbitrary: full, weight: 1 });
      }
      case 'integer': {
        const min = schema.minimum ?? -2_147_483_648;
        const max = schema.maximum ?? 2_147_483_647;
        return fc.oneof(
          { arbitrary: fc.integer({ min, max }), weight: 3 },
          { arbitrary: fc.constantFrom(min, max), weight: 1 },
        );
      }
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1e9,
          max: schema.maximum ?? 1e9,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      default:
        return this.string(name, schema, path);
    }
  }

  private string(name: string, schema: Schema, path: string): fc.Arbitrary<string> {
    if (schema.format === 'uuid') {
      const known = this.ids(name, path);
      return known.length === 0
        ? fc.uuid()
        : fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 6 }, fc.uuid());
    }
    if (schema.format === 'date')
      return fc
        .integer({ min: FIRST_DAY / DAY, max: LAST_DAY / DAY })
        .map((day) => new Date(day * DAY).toISOString().slice(0, 10));
    if (schema.format === 'date-time')
      return fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map((ms) => new Date(ms).toISOString());
    if (schema.format === 'email')
      return fc.oneof(
        fc.emailAddress({ size: 'small' }),
        fc.stringMatching(/^[a-z0-9]{1,12}@example\.test$/),
      );
    if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? 200;
    // Any code point (class-validator counts UTF-16 units, JSON Schema counts code points: keep
    // both within bounds), plus the bounds themselves.
    const free = fc
      .string({ unit: 'binary', minLength: min, maxLength: Math.min(max, min + 40) })
      .filter((s) => s.length <= max);
    const words = fc.string({
      unit: 'grapheme-ascii',
      minLength: min,
      maxLength: Math.min(max, 60),
    });
    const atMax = fc.string({ unit: 'grapheme-ascii', minLength: max, maxLength: max });
    const atMin = fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: min });
    return fc.oneof(
      { arbitrary: free, weight: 3 },
      { arbitrary: words, weight: 3 },
      { arbitrary: atMax, weight: schema.maxLength === undefined ? 0 : 1 },
      { arbitrary: atMin, weight: 1 },
    );
  }

  /** Requests the contract accepts (as to shape: the records they name may still refuse). */
  valid(operation: Operation, count: number, seed: number): FuzzRequest[] {
    const arb = fc.record({
      path: fc.record(
        Object.fromEntries(
          operation.parameters
            .filter((p) => p.in === 'path')
            .map((p) => [
              p.name,
              this.value(p.name, p.schema ?? { type: 'string' }, operation.path),
            ]),
        ),
      ),
      query: fc.record(
        Object.fromEntries(
          operation.parameters
            .filter((p) => p.in === 'query')
            .map((p) => [
              p.name,
              this.value(p.name, p.schema ?? { type: 'string' }, operation.path),
            ]),
        ),
        {
          requiredKeys: operation.parameters
            .filter((p) => p.in === 'query' && p.required === true)
            .map((p) => p.name),
        },
      ),
      idempotencyKey: operation.parameters.some((p) => p.name === 'Idempotency-Key')
        ? fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/), { nil: undefined })
        : fc.constant(undefined),
      body:
        operation.body === undefined
          ? fc.constant(undefined)
          : this.value('', operation.body, operation.path),
    });
    return fc.sample(arb, { seed, numRuns: count }).map((sample) => {
      const headers: Record<string, string> = {};
      if (sample.idempotencyKey !== undefined) headers['Idempotency-Key'] = sample.idempotencyKey;
      return {
        operation,
        kind: 'valid',
        url: urlOf(operation, sample.path, sample.query),
        body: sample.body === undefined ? undefined : JSON.stringify(sample.body),
        contentType: sample.body === undefined ? undefined : 'application/json',
        headers,
        xsrf: true,
        value: sample.body,
      };
    });
  }

  /** The mutations that apply to an operation (each makes a request the contract refuses). */
  mutations(operation: Operation, signedIn: boolean): string[] {
    const out: string[] = [];
    const body =
      operation.body === undefined ? undefined : resolveSchema(this.document, operation.body);
    if (body !== undefined) {
      out.push('extra-field', 'wrong-body', 'bad-content-type', 'malformed-json');
      if ((body.required ?? []).length > 0) out.push('missing-required');
      if (this.leaves(body).length > 0) out.push('wrong-type', 'huge-string');
      if (
        this.leaves(body).some(
          ([, s]) =>
            s.maxLength !== undefined || s.minimum !== undefined || s.maximum !== undefined,
        )
      )
        out.push('out-of-bounds');
    }
    const params = operation.parameters;
    if (params.some((p) => p.in === 'path')) out.push('bad-path');
    if (params.some((p) => p.in === 'query' && this.refusable(p.schema))) out.push('bad-query');
    if (params.some((p) => p.name === 'Idempotency-Key')) out.push('bad-idempotency-key');
    if (signedIn && operation.method !== 'get') out.push('no-xsrf');
    return out;
  }

  /** Whether some string value breaks the schema of a query parameter. */
  private refusable(raw: Schema | undefined): boolean {
    if (raw === undefined) return false;
    const s = resolveSchema(this.document, raw);
    return (
      s.enum !== undefined ||
      s.format !== undefined ||
      s.pattern !== undefined ||
      s.maxLength !== undefined ||
      s.type === 'integer' ||
      s.type === 'number' ||
      s.type === 'boolean'
    );
  }

  /** The query parameters a bad value can be given to. */
  refusableQuery(operation: Operation): Parameter[] {
    return operation.parameters.filter((p) => p.in === 'query' && this.refusable(p.schema));
  }

  /** Leaf fields of a body schema: [path into the body, schema], objects walked two deep. */
  leaves(
    raw: Schema,
    prefix: (string | number)[] = [],
    depth = 0,
  ): [(string | number)[], Schema][] {
    const schema = resolveSchema(this.document, raw);
    const out: [(string | number)[], Schema][] = [];
    for (const [key, value] of Object.entries(schema.properties ?? {})) {
      const field = resolveSchema(this.document, value);
      out.push([[...prefix, key], field]);
      if (depth < 2 && field.properties !== undefined)
        out.push(...this.leaves(field, [...prefix, key], depth + 1));
      if (depth < 2 && field.type === 'array' && field.items?.$ref !== undefined)
        out.push(...this.leaves(field.items, [...prefix, key, 0], depth + 1));
    }
    return out;
  }

  /** Requests the contract refuses: a valid one, mutated (`kinds` in turn, `perKind` each). */
  invalid(
    operation: Operation,
    kinds: readonly string[],
    perKind: number,
    seed: number,
  ): FuzzRequest[] {
    const bases = this.valid(operation, kinds.length * perKind, seed);
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    return bases.map((base, index) => {
      const kind = kinds[index % kinds.length]!;
      return { ...mutate(this, operation, base, kind, pick), kind };
    });
  }
}

function urlOf(
  operation: Operation,
  path: Record<string, unknown>,
  query: Record<string, unknown>,
): string {
  const filled = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(textOf(path[name])),
  );
  const search = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return search === '' ? filled : `${filled}?${search}`;
}

/** A parameter value as text (strings as they are, anything else as JSON). */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
