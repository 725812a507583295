import type { AddressInfo } from 'node:net';
import { ROLES, XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { ACCESS_MATRIX } from '../app/access-matrix';
import {
  ContractChecker,
  listOperations,
  loadDocument,
  requestValidator,
  type Answer,
  type Operation,
} from '../test/contract-fuzz/contract';
import { RequestGenerator, seedFor, type FuzzRequest } from '../test/contract-fuzz/generate';
import { scriptedWalk } from '../test/contract-fuzz/walk';
import {
  REFUSALS_MAY_CHANGE,
  changedTables,
  fingerprint,
  logAppends,
  logPrefixHash,
} from '../test/contract-fuzz/state';
import {
  AuthHarness,
  type TestBrowser,
  type TestResponse,
  type TestUser,
} from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';

/**
 * Fuzzing from the contract (docs/benchmarks.md, "Fuzzing"): requests generated from the
 * committed OpenAPI document by fast-check — valid ones, ones at the schemas' bounds, and ones
 * the contract refuses (missing or extra fields, wrong types, values out of bounds, huge and
 * non-ASCII strings, bad UUIDs and query values, wrong bodies and content types, no XSRF echo,
 * bad idempotency keys) — sent over loopback to every operation as every role, a half-signed-in
 * caller and no session. Every answer must conform to the contract (see `ContractChecker`):
 * never a 5xx, never a stack trace or SQL. The refused batch runs first, between two
 * fingerprints of the whole database: nothing may change but what `REFUSALS_MAY_CHANGE` lists.
 *
 * Seeded: `HARBOUR_FUZZ_SEED` (default below, printed), `HARBOUR_FUZZ_SCALE` multiplies counts.
 */
const SEED = Number(process.env['HARBOUR_FUZZ_SEED'] ?? 20_2026);
const SCALE = Number(process.env['HARBOUR_FUZZ_SCALE'] ?? 1);
/** Mutated requests per mutation kind, per operation and admitted caller. */
const PER_MUTATION = Math.ceil(4 * SCALE);
/** Well-formed requests per operation from each caller it does not admit. */
const PER_REFUSED_CALLER = Math.ceil(5 * SCALE);
/** Well-formed requests per operation and admitted caller. */
const PER_VALID = Math.ceil(24 * SCALE);

type Principal = 'anonymous' | 'half' | (typeof ROLES)[number];
const PRINCIPALS: readonly Principal[] = ['anonymous', 'half', ...ROLES];

/**
 * Well-formed requests left out of the valid batch because they end the caller's own session or
 * lock the whole organisation (the refused batch still sends them every mutation and caller).
 */
const NOT_SENT_VALID = new Set([
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'POST /api/organisation/lockdown',
]);

function admits(principal: Principal, operation: Operation): boolean {
  const access = ACCESS_MATRIX[operation.route]?.access;
  if (access === undefined) throw new Error(`no access rule for ${operation.route}`);
  if (access === 'public') return true;
  if (access === 'sign-in-step') return principal === 'half';
  // A half-signed-in caller is at stage `mfa`: the contract says which routes admit that stage.
  if (principal === 'half') return /Session at stage [^.]*`mfa`/.test(operation.description);
  if (principal === 'anonymous') return false;
  // Any other kind of rule (e.g. a machine token) admits none of these callers.
  if (typeof access === 'string') return access === 'signed-in';
  return access.includes(principal);
}

describe('contract fuzzing (every operation × every caller, seeded)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let base: string;
  const document = loadDocument();
  const operations = listOperations(document);
  const checker = new ContractChecker(document);
  const isValid = requestValidator(document);
  const ids = new Map<string, string[]>();
  const users = new Map<Principal, TestUser>();
  const cookies = new Map<Principal, Map<string, string>>();
  const generator = new RequestGenerator(document, (name, path) => idsFor(name, path));
  const sent = {
    total: 0,
    byClass: new Map<string, number>(),
    byPrincipal: new Map<string, number>(),
  };
  const findings: string[] = [];
  let resignIns = 0;
  let org = '';
  let scripted = 0;

  function idsFor(name: string, path: string): string[] {
    if (name === 'id') {
      const kind = path.split('/')[2] ?? '';
      return ids.get(`${kind}:id`) ?? [];
    }
    return ids.get(name) ?? [];
  }

  const add = (key: string, id: unknown): void => {
    if (typeof id !== 'string') throw new Error(`fixture ${key}: no id`);
    ids.set(key, [...(ids.get(key) ?? []), id]);
  };

  async function signIn(principal: Principal): Promise<void> {
    const user = users.get(principal);
    if (user === undefined) return void cookies.set(principal, new Map());
    let browser: TestBrowser;
    if (principal === 'half') {
      harbour.clock.advance(61_000);
      browser = h.browser();
      const login = await browser.send('post', '/api/auth/login', {
        email: user.email,
        password: user.password,
      });
      if (login.status !== 200) throw new Error(`half sign-in: ${login.status}`);
    } else {
      browser = await h.signIn(user);
      await h.stepUp(browser, user);
    }
    cookies.set(principal, new Map(browser.cookies));
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Fuzz Outreach');
    for (const role of ROLES) users.set(role, await h.createUser(org, { roles: [role] }));
    users.set('half', await h.createUser(org, { roles: ['caseworker'] }));
    for (const principal of PRINCIPALS) await signIn(principal);

    // Real records for the generator's ids (a fresh random UUID is drawn now and then too).
    const cw = await h.signIn(users.get('caseworker')!);
    const admin = await h.signIn(users.get('admin')!);
    await h.stepUp(admin, users.get('admin')!);
    for (const givenName of ['Fuzz', 'Fuzzier', 'Fuzziest']) {
      const person = await cw.send('post', '/api/persons', { identity: { givenName } });
      add('persons:id', person.body['id']);
      add('personId', person.body['id']);
      add('person', person.body['id']);
      add('personIds', person.body['id']);
      add('absorbedId', person.body['id']);
    }
    const partner = await admin.send('post', '/api/partners', {
      name: 'Fuzz legal aid',
      serviceType: 'legal_aid',
    });
    for (const key of ['partners:id', 'partnerId', 'partner']) add(key, partner.body['id']);
    for (const personId of ids.get('personId')!) {
      const contact = await cw.send('post', '/api/contacts', {
        personId,
        occurredOn: '2026-01-15',
        channel: 'phone',
        locationType: 'online_or_phone',
        needs: [{ category: 'housing' }],
      });
      const body = contact.body as { id: string; needs: { id: string }[] };
      add('contacts:id', body.id);
      add('contactId', body.id);
      add('needs:id', body.needs[0]!.id);
      add('needId', body.needs[0]!.id);
      const referral = await cw.send('post', '/api/referrals', {
        needId: body.needs[0]!.id,
        partnerId: partner.body['id'],
      });
      add('referrals:id', referral.body['id']);
      add('referralId', referral.body['id']);
      const consent = await cw.send('post', `/api/persons/${personId}/consents`, {
        purpose: 'contact_by_phone',
        method: 'verbal',
      });
      add('consentId', consent.body['id']);
    }
    // Staff the generator may name (never the callers themselves: resets would end their sessions).
    for (const role of ['caseworker', 'coordinator'] as const) {
      const staff = await h.createUser(org, { roles: [role] });
      for (const key of ['users:id', 'staffId', 'fromStaffId', 'toStaffId', 'assignedTo'])
        add(key, staff.id);
      for (const key of ['caseworkerId', 'caseworker', 'actor', 'key-workers:id'])
        add(key, staff.id);
    }
    const base0 = harbour.app.getHttpServer() as { address(): AddressInfo | string | null };
    await harbour.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(base0.address() as AddressInfo).port}`;
    process.stdout.write(
      `contract fuzz: seed ${SEED} (HARBOUR_FUZZ_SEED), scale ${SCALE}, ${operations.length} operations, ${PRINCIPALS.length} callers\n`,
    );
  }, 180_000);

  afterAll(async () => {
    await harbour?.close();
    await db?.drop();
  });

  async function send(principal: Principal, request: FuzzRequest): Promise<Answer> {
    const jar = cookies.get(principal)!;
    const headers: Record<string, string> = { ...request.headers };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    if (jar.size > 0) headers['cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const xsrf = jar.get(XSRF_COOKIE);
    if (request.operation.method !== 'get' && request.xsrf && xsrf !== undefined)
      headers[XSRF_HEADER] = xsrf;
    const res = await fetch(`${base}${request.url}`, {
      method: request.operation.method.toUpperCase(),
      headers,
      body: request.body,
      redirect: 'manual',
    });
    const text = await res.text();
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (/Max-Age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    sent.total++;
    const cls = `${String(res.status).charAt(0)}xx`;
    sent.byClass.set(cls, (sent.byClass.get(cls) ?? 0) + 1);
    sent.byPrincipal.set(principal, (sent.byPrincipal.get(principal) ?? 0) + 1);
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      correlationId: res.headers.get('x-correlation-id') ?? undefined,
      text,
    };
  }

  function record(principal: Principal, request: FuzzRequest, answer: Answer, extra: string[]) {
    for (const problem of [...checker.check(request.operation, answer), ...extra]) {
      let where = '';
      if (answer.status >= 500) {
        const logged = harbour.logs.find(
          (l) => l['correlationId'] === answer.correlationId && l['err'] !== undefined,
        );
        const err = logged?.['err'] as { type?: string; message?: string } | undefined;
        where =
          err === undefined ? '' : ` (${err.type ?? '?'}: ${err.message ?? ''})`.slice(0, 200);
      }
      findings.push(
        `${request.operation.route} [${principal}] ${request.kind} → ${answer.status}: ${problem}${where}`,
      );
      if (process.env['HARBOUR_FUZZ_DEBUG'] === '1')
        process.stdout.write(
          `FINDING ${findings.at(-1)} | ${request.url} ${request.body?.slice(0, 300) ?? ''} | ${answer.text.slice(0, 300)}\n`,
        );
    }
  }

  /** Runs each caller's list in order, the callers side by side. */
  async function run(
    batches: Map<Principal, FuzzRequest[]>,
    onAnswer: (p: Principal, r: FuzzRequest, a: Answer) => Promise<void> | void,
  ): Promise<void> {
    await Promise.all(
      [...batches].map(async ([principal, list]) => {
        for (const request of list)
          await onAnswer(principal, request, await send(principal, request));
      }),
    );
  }

  it('answers every refused request within the contract and changes nothing', async () => {
    const batches = new Map<Principal, FuzzRequest[]>();
    let selfCheck = 0;
    for (const principal of PRINCIPALS) {
      const list: FuzzRequest[] = [];
      for (const operation of operations) {
        const seed = seedFor(SEED, 'refused', principal, operation.route);
        if (admits(principal, operation)) {
          const kinds = generator.mutations(operation, principal !== 'anonymous');
          if (kinds.length > 0)
            list.push(...generator.invalid(operation, kinds, PER_MUTATION, seed));
        } else {
          list.push(
            ...generator
              .valid(operation, PER_REFUSED_CALLER, seed)
              .map((r) => ({ ...r, kind: 'caller-not-admitted' })),
          );
        }
      }
      batches.set(principal, list);
      // The generator's own check: a body mutation breaks the request schema (per ajv).
      for (const r of list) {
        const bodyKinds = [
          'extra-field',
          'missing-required',
          'wrong-type',
          'out-of-bounds',
          'wrong-body',
        ];
        if (bodyKinds.includes(r.kind) && isValid(r.operation.body!, r.value))
          findings.push(
            `${r.operation.route} ${r.kind}: generator made a valid body ${r.body?.slice(0, 120)}`,
          );
        selfCheck++;
      }
    }

    const before = await fingerprint(db);
    const prefix = await logPrefixHash(db, before);
    let accepted = 0;
    await run(batches, (principal, request, answer) => {
      const extra: string[] = [];
      if (answer.status < 400) {
        accepted++;
        extra.push(`refused request answered ${answer.status}`);
      }
      record(principal, request, answer, extra);
    });
    const after = await fingerprint(db);
    const changed = changedTables(before, after).filter((t) => !(t in REFUSALS_MAY_CHANGE));
    const appends = await logAppends(db, before);
    const refusedTotal = [...batches.values()].reduce((n, l) => n + l.length, 0);
    process.stdout.write(
      `contract fuzz, refused batch: ${refusedTotal} requests (generator self-check ${selfCheck}), ${accepted} accepted; tables changed beyond the allowed list: ${changed.length}; access-log appends ${JSON.stringify(appends)}\n`,
    );
    expect(changed).toEqual([]);
    expect(await logPrefixHash(db, before)).toBe(prefix);
    expect(appends.filter((a) => a.outcome === 'success')).toEqual([]);
    expect(accepted).toBe(0);
    expect(findings.slice(0, 60)).toEqual([]);

    // The fingerprint sees a change when there is one: one accepted write, then compare again.
    const create = operations.find((o) => o.route === 'POST /api/persons')!;
    const write = await send('caseworker', {
      ...generator.valid(create, 1, SEED)[0]!,
      body: JSON.stringify({ identity: { givenName: 'Control' } }),
    });
    expect(write.status).toBe(201);
    const afterWrite = await fingerprint(db);
    expect(changedTables(after, afterWrite).filter((t) => !(t in REFUSALS_MAY_CHANGE))).toContain(
      'public.person',
    );
  }, 600_000);

  it('answers every well-formed and boundary request within the contract', async () => {
    const batches = new Map<Principal, FuzzRequest[]>();
    let invalidGenerated = 0;
    for (const principal of PRINCIPALS) {
      const list: FuzzRequest[] = [];
      for (const operation of operations) {
        if (!admits(principal, operation) || NOT_SENT_VALID.has(operation.route)) continue;
        const seed = seedFor(SEED, 'valid', principal, operation.route);
        for (const r of generator.valid(operation, PER_VALID, seed)) {
          if (r.operation.body !== undefined && !isValid(r.operation.body, r.value))
            invalidGenerated++;
          list.push(r);
        }
      }
      batches.set(principal, list);
    }
    await run(batches, async (principal, request, answer) => {
      record(principal, request, answer, []);
      // A request that ended its own session (e.g. a reset of the caller's sign-in factors):
      // sign in again, so the rest of the batch is not all 401s.
      if (
        answer.status === 401 &&
        answer.text.includes('"unauthenticated"') &&
        principal !== 'anonymous' &&
        principal !== 'half'
      ) {
        resignIns++;
        await signIn(principal);
      }
    });
    expect(invalidGenerated).toBe(0);
    expect(findings.slice(0, 60)).toEqual([]);
  }, 600_000);

  /** One scripted answer, checked like the fuzzer's: it must be a success within the contract. */
  function expectSuccess(route: string, res: TestResponse): Record<string, unknown> {
    const operation = operations.find((o) => o.route === route);
    if (operation === undefined) throw new Error(`no operation ${route}`);
    scripted++;
    const problems = checker.check(operation, {
      status: res.status,
      contentType: String(res.headers['content-type'] ?? ''),
      correlationId: res.headers['x-correlation-id'] as string | undefined,
      text: res.text,
    });
    if (res.status >= 300) problems.push(`expected a success: ${res.text.slice(0, 200)}`);
    for (const problem of problems)
      findings.push(`${route} [scripted] → ${res.status}: ${problem}`);
    return res.body;
  }

  it('answers the operations random requests rarely get right (a scripted walk) within the contract', async () => {
    await scriptedWalk({
      h,
      harbour,
      org,
      personIds: ids.get('persons:id')!,
      coordinator: users.get('coordinator')!,
      admin: users.get('admin')!,
      expectSuccess,
    });
    // The walk's lockdown (lifted) ended every session of the organisation: sign in again.
    for (const principal of PRINCIPALS) await signIn(principal);
    expect(findings.slice(0, 60)).toEqual([]);
  }, 300_000);

  it('sent at least 10,000 requests, across every operation and caller, and the log verifies', async () => {
    const verify = await send('auditor', {
      operation: operations.find((o) => o.route === 'GET /api/audit/verify')!,
      kind: 'valid',
      url: '/api/audit/verify',
      headers: {},
      xsrf: true,
    });
    const classes = [...sent.byClass]
      .sort()
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    process.stdout.write(
      [
        `contract fuzz: seed ${SEED}: ${sent.total} requests (${classes}); 5xx = ${sent.byClass.get('5xx') ?? 0}; off-contract = ${findings.length}; 2xx bodies validated against a schema ${checker.validatedBodies} (of ${checker.validatedRoutes.size} operations); re-sign-ins ${resignIns}; scripted walk ${scripted}`,
        `  by caller: ${[...sent.byPrincipal].map(([p, n]) => `${p} ${n}`).join(', ')}`,
        `  JSON successes never answered (body unchecked): ${
          operations
            .filter((o) => Object.keys(o.responses).some((s) => /^2\d\d$/.test(s) && s !== '204'))
            .filter((o) => Object.values(o.responses).some((r) => r.content?.['application/json']))
            .filter((o) => !checker.validatedRoutes.has(o.route))
            .map((o) => o.route)
            .join(', ') || 'none'
        }`,
        '',
      ].join('\n'),
    );
    expect(JSON.parse(verify.text)).toMatchObject({ status: 'verified' });
    expect(sent.total).toBeGreaterThanOrEqual(10_000);
    expect(sent.byClass.get('5xx') ?? 0).toBe(0);
    expect(checker.validatedBodies).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });
});
