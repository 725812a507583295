import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@harbour/domain';
import { listRoutes } from '../infra/auth/route-inventory';
import { AuthHarness, type TestBrowser, type TestUser } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';
import { ACCESS_MATRIX } from './access-matrix';

/**
 * docs/security.md T20, input robustness: every route's inputs — path parameters, query parameters and
 * JSON body fields, read from the committed OpenAPI document — are walked with out-of-range
 * numbers, impossible dates and values of the wrong JSON type, by a caller the route admits (so
 * the input reaches validation and, when it passes, the service and the database). No answer may
 * be a 5xx; a `validation_failed` names the field it refuses and never echoes the value.
 */

interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  nullable?: boolean;
}

interface Operation {
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}

const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

/** JSON literals put in place of one body field (raw, so 1e309 arrives as JSON.parse makes it). */
const BODY_VALUES: readonly string[] = [
  String(2 ** 53),
  '18446744073709551616',
  '-1',
  '0',
  '2147483648',
  '1e309',
  '-1e309',
  '1.5',
  '-0',
  '"NaN"',
  '"Infinity"',
  '"18446744073709551616"',
  '"2024-02-30"',
  '"0000-01-01"',
  '"2024-13-01"',
  '"99999-01-01"',
  '"-000001-01-01T00:00:00Z"',
  '12345',
  '"12"',
  '""',
  '[]',
  '["a", 1]',
  '{}',
  '{"a": {"b": 1}}',
  'null',
  'true',
  'false',
];

/** Raw query values (URL-encoded when sent); a repeated parameter is an array. */
const QUERY_VALUES: readonly (string | string[])[] = [
  String(2 ** 53),
  '18446744073709551616',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '1.5',
  '0x10',
  '2024-02-30',
  '0000-01-01',
  '2024-13',
  '0000-00',
  '99999-01-01',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-19T00:00:00.000Z',
  '2024-02-30T10:00:00Z',
  '',
  'true',
  ['1', '2'],
];

/** Raw path parameter values (URL-encoded when sent). */
const PATH_VALUES: readonly string[] = [
  '18446744073709551616',
  '-1',
  'NaN',
  '2024-02-30',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  randomUUID(),
  'x'.repeat(300),
];

/** Whole bodies of the wrong kind. */
const WHOLE_BODIES: readonly string[] = ['[]', 'null', '"text"', '1', 'true', '[{}]'];

/** Distinctive hostile values that must never be echoed in an answer. */
const NEVER_ECHOED = ['18446744073709551616', '2024-02-30', '0000-01-01', '99999-01-01', '275760'];

interface Probe {
  readonly where: string;
  readonly path: string;
  readonly body?: string;
  /** The field refused, when the answer is validation_failed (a top-level name). */
  readonly field?: string;
}

const resolve = (schema: Schema): Schema =>
  schema.$ref === undefined
    ? schema
    : DOCUMENT.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!;

describe('route walker (T20: 0 × 5xx for hostile inputs)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  const ids: Record<string, string> = {};
  const findings: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Route Walker Outreach');
    const cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    ids['person'] = (await cw.send('post', '/api/persons', { identity: { givenName: 'Walker' } }))
      .body['id'] as string;
    const contact = (
      await cw.send('post', '/api/contacts', {
        personId: ids['person'],
        occurredOn: '2026-01-15',
        channel: 'phone',
        locationType: 'online_or_phone',
        needs: [{ category: 'housing' }],
      })
    ).body as { id: string; needs: { id: string }[] };
    ids['contact'] = contact.id;
    ids['need'] = contact.needs[0]!.id;
    ids['partner'] = (
      await admin.send('post', '/api/partners', {
        name: 'Walker legal aid',
        serviceType: 'legal_aid',
      })
    ).body['id'] as string;
    ids['referral'] = (
      await cw.send('post', '/api/referrals', { needId: ids['need'], partnerId: ids['partner'] })
    ).body['id'] as string;
    ids['consent'] = (
      await cw.send('post', `/api/persons/${ids['person']}/consents`, {
        purpose: 'contact_by_phone',
        method: 'verbal',
      })
    ).body['id'] as string;
    ids['user'] = (await h.createUser(org, { roles: ['caseworker'] })).id;
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** A real id for a path parameter or a body field named like one. */
  function idFor(name: string, path: string): string | undefined {
    if (name === 'consentId') return ids['consent'];
    if (name === 'id') {
      if (path.startsWith('/api/persons')) return ids['person'];
      if (path.startsWith('/api/contacts')) return ids['contact'];
      if (path.startsWith('/api/needs')) return ids['need'];
      if (path.startsWith('/api/referrals')) return ids['referral'];
      if (path.startsWith('/api/partners')) return ids['partner'];
      if (path.startsWith('/api/users')) return ids['user'];
    }
    const byName: Record<string, string | undefined> = {
      personId: ids['person'],
      person: ids['person'],
      contactId: ids['contact'],
      needId: ids['need'],
      partnerId: ids['partner'],
      partner: ids['partner'],
      // The staff member a decoy appears to be logged by: a caseworker.
      caseworkerId: ids['user'],
    };
    return byName[name];
  }

  /** A plausible value for a schema: enough to pass validation, so hostile siblings reach the service. */
  function sample(name: string, raw: Schema, path: string, depth = 0): unknown {
    const schema = resolve(raw);
    if (schema.enum !== undefined) return schema.enum[0];
    if (schema.properties !== undefined) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(schema.properties)) {
        if ((schema.required ?? []).includes(key) || depth <= 1)
          out[key] = sample(key, value, path, depth + 1);
      }
      return out;
    }
    switch (schema.type) {
      case 'array': {
        const item = sample(name, schema.items ?? { type: 'string' }, path, depth + 1);
        return (schema.minItems ?? 0) > 0 || schema.items?.$ref !== undefined ? [item] : [];
      }
      case 'integer':
      case 'number':
        return name === 'version' ? 1 : Math.max(schema.minimum ?? 1, 1);
      case 'boolean':
        return true;
      default:
        if (schema.format === 'uuid') return idFor(name, path) ?? randomUUID();
        if (schema.format === 'email') return `walker-${randomUUID().slice(0, 8)}@example.test`;
        if (schema.format === 'date' || schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}'))
          return '2026-01-15';
        if (schema.pattern?.includes('\\d{4}-(0[1-9]') === true) return '2026-01';
        if (name === 'code') return '123456';
        if (name === 'phone') return '+66 81 234 5678';
        return 'Walker value';
    }
  }

  /** Every leaf field of a body schema, as paths into the sample body ([] for array items). */
  function leaves(raw: Schema, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
    const schema = resolve(raw);
    const out: (string | number)[][] = [];
    if (depth > 4) return out;
    if (schema.properties !== undefined) {
      for (const [key, value] of Object.entries(schema.properties)) {
        const resolved = resolve(value);
        out.push([...prefix, key]);
        if (resolved.properties !== undefined)
          out.push(...leaves(resolved, [...prefix, key], depth + 1));
        if (resolved.type === 'array' && resolved.items?.$ref !== undefined)
          out.push(...leaves(resolved.items, [...prefix, key, 0], depth + 1));
      }
    }
    return out;
  }

  function withValue(base: unknown, at: (string | number)[], literal: string): string {
    const marker = `__walker_${randomUUID()}__`;
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const step of at.slice(0, -1)) {
      if (node[step] === undefined || node[step] === null || typeof node[step] !== 'object')
        node[step] = typeof at[at.indexOf(step) + 1] === 'number' ? [{}] : {};
      node = node[step] as Record<string | number, unknown>;
    }
    node[at.at(-1)!] = marker;
    return JSON.stringify(copy).replace(`"${marker}"`, literal);
  }

  /** The probes of one route: its path, query and body inputs, each hostile value in turn. */
  function probes(route: string, operation: Operation): Probe[] {
    const [, template] = route.split(' ') as [string, string];
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
    const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
    const fill = (override?: { name: string; value: string }): string =>
      template.replace(/:(\w+)/g, (_, name: string) =>
        encodeURIComponent(
          override?.name === name ? override.value : (idFor(name, template) ?? randomUUID()),
        ),
      );
    const bodySchema = operation.requestBody?.content['application/json'].schema;
    const base = bodySchema === undefined ? undefined : sample('', bodySchema, template);
    const baseBody = base === undefined ? undefined : JSON.stringify(base);
    const out: Probe[] = [];
    for (const param of pathParams) {
      for (const value of PATH_VALUES) {
        out.push({
          where: `path ${param.name}=${value.slice(0, 40)}`,
          path: fill({ name: param.name, value }),
          body: baseBody,
        });
      }
    }
    // Required parameters keep a plausible value while another one is hostile.
    const required = query
      .filter((p) => p.required === true)
      .map((p) => ({ name: p.name, value: String(sample(p.name, p.schema ?? {}, template)) }));
    for (const param of query) {
      for (const value of QUERY_VALUES) {
        const search = [
          ...required
            .filter((r) => r.name !== param.name)
            .map((r) => `${r.name}=${encodeURIComponent(r.value)}`),
          ...(Array.isArray(value) ? value : [value]).map(
            (v) => `${param.name}=${encodeURIComponent(v)}`,
          ),
        ].join('&');
        out.push({
          where: `query ${param.name}=${JSON.stringify(value)}`,
          path: `${fill()}?${search}`,
          field: param.name,
        });
      }
    }
    if (bodySchema !== undefined) {
      for (const at of leaves(bodySchema)) {
        for (const literal of BODY_VALUES) {
          out.push({
            where: `body ${at.join('.')}=${literal}`,
            path: fill(),
            body: withValue(base, at, literal),
            field: String(at[0]),
          });
        }
      }
      for (const whole of WHOLE_BODIES)
        out.push({ where: `whole body ${whole}`, path: fill(), body: whole });
    }
    return out;
  }

  const roleFor = (route: string): Role | 'anonymous' | 'sign-in-step' => {
    const access = ACCESS_MATRIX[route]!.access;
    if (access === 'public' || access === 'metrics-token') return 'anonymous';
    if (access === 'sign-in-step') return 'sign-in-step';
    if (access === 'signed-in') return 'caseworker';
    return access[0]!;
  };

  async function send(browser: TestBrowser, method: string, probe: Probe) {
    requests++;
    const headers: Record<string, string> = {};
    if (probe.body !== undefined) headers['Content-Type'] = 'application/json';
    const m = method.toLowerCase() as 'get' | 'post' | 'patch';
    // Raw JSON text: supertest sends a string as it is.
    return browser.send(m, probe.path, probe.body, {
      headers,
    });
  }

  it('covers every route of the router, as the OpenAPI document and the access matrix list them', () => {
    const routed = listRoutes(harbour.app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const documented = Object.entries(DOCUMENT.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    expect(documented).toEqual(routed);
    expect(Object.keys(ACCESS_MATRIX).sort()).toEqual(routed);
  });

  const routes = Object.entries(DOCUMENT.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      method,
      operation,
    })),
  );

  it.each(routes.map((r) => [r.route, r] as const))(
    '%s answers every hostile input with a 4xx (or success), never a 5xx',
    async (route, { method, operation }) => {
      const all = probes(route, operation);
      if (all.length === 0) return;
      const role = roleFor(route);
      const stepUp = operation.description?.includes('Needs a step-up') === true;
      // Sign-in routes count failures per account and address: a fresh caller per request, a
      // minute apart, so every probe reaches validation instead of a throttle.
      const fresh =
        role === 'anonymous' || role === 'sign-in-step' || route.startsWith('POST /api/auth/');
      let user: TestUser | null = null;
      let browser: TestBrowser | null = null;
      const prepare = async (): Promise<TestBrowser> => {
        if (role === 'anonymous') {
          harbour.clock.advance(61_000);
          return h.browser();
        }
        user = await h.createUser(org, {
          roles: role === 'sign-in-step' ? ['caseworker'] : [role],
        });
        if (role === 'sign-in-step') {
          harbour.clock.advance(61_000);
          const half = h.browser();
          await half.send('post', '/api/auth/login', {
            email: user.email,
            password: user.password,
          });
          return half;
        }
        const signed = await h.signIn(user);
        if (stepUp) await h.stepUp(signed, user);
        return signed;
      };
      for (const probe of all) {
        if (browser === null || fresh) browser = await prepare();
        const res = await send(browser, method, probe);
        const text = res.text ?? '';
        if (res.status >= 500) {
          // The logged error class and first frame, to say where the fault is.
          const logged = harbour.logs
            .filter((l) => l['correlationId'] === res.headers['x-correlation-id'] && l['err'])
            .map((l) => {
              const err = l['err'] as { type?: string; stack?: string[] };
              return `${err.type ?? '?'} ${err.stack?.[0] ?? ''}`;
            });
          findings.push(
            `${route} ${probe.where} → ${res.status} ${res.body.code ?? ''} ${logged.join('; ')}`,
          );
          continue;
        }
        if (res.status < 400) continue;
        for (const value of NEVER_ECHOED) {
          if (text.includes(value) && (probe.body?.includes(value) || probe.path.includes(value)))
            findings.push(`${route} ${probe.where} → echoed ${value}`);
        }
        if (
          res.status === 400 &&
          res.body.code === 'validation_failed' &&
          probe.field !== undefined
        ) {
          const fields = (res.body['fields'] ?? []) as { path: string }[];
          if (!fields.some((f) => f.path === probe.field || f.path.startsWith(`${probe.field}.`)))
            findings.push(
              `${route} ${probe.where} → validation_failed without naming ${probe.field}: ${JSON.stringify(fields)}`,
            );
        }
      }
      expect(findings.filter((f) => f.startsWith(`${route} `))).toEqual([]);
    },
    600_000,
  );

  it('walked more than 5,000 hostile requests', () => {
    expect(requests).toBeGreaterThan(5_000);
  });
});
