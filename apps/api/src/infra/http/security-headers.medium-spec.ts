import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { NONCE_PLACEHOLDER } from './console.middleware';

/** docs/security.md T10, checked on the console document, a console asset and API responses. */
const BASELINE: Readonly<Record<string, RegExp>> = {
  'strict-transport-security': /^max-age=(\d+); includeSubDomains$/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-frame-options': /^DENY$/,
};

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

function expectBaseline(headers: Record<string, string>): void {
  for (const [name, pattern] of Object.entries(BASELINE)) {
    expect({ name, value: headers[name] }).toEqual({ name, value: expect.stringMatching(pattern) });
  }
  const maxAge = Number(
    BASELINE['strict-transport-security']!.exec(headers['strict-transport-security']!)![1],
  );
  expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
  // No version banners.
  expect(headers['x-powered-by']).toBeUndefined();
  expect(headers['server']).toBeUndefined();
  const csp = directives(headers['content-security-policy'] ?? '');
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
}

describe('security headers (docs/security.md T10)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'harbour-console-'));
    writeFileSync(
      join(consoleDir, 'index.html'),
      `<!doctype html><html><head><link rel="stylesheet" href="styles-ABCD1234.css"></head>` +
        `<body><app-root ngCspNonce="${NONCE_PLACEHOLDER}"></app-root>` +
        `<script src="main-ABCD1234.js" type="module"></script></body></html>`,
    );
    writeFileSync(join(consoleDir, 'main-ABCD1234.js'), 'export {};');
    writeFileSync(join(consoleDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    db = await createTestDatabase();
    harbour = await createTestApp(db, { env: { HARBOUR_CONSOLE_DIR: consoleDir } });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  const http = () => request(harbour.app.getHttpServer());

  it('serves the console document with a strict, nonce-based policy that is never cached', async () => {
    const res = await http()
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expectBaseline(res.headers);
    const csp = directives(res.headers['content-security-policy']!);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers['content-security-policy']!)![1];
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(res.text).toContain(`ngCspNonce="${nonce}"`);
    expect(res.text).not.toContain(NONCE_PLACEHOLDER);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('uses a fresh nonce on every response', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await http().get('/').expect(200);
      nonces.add(/'nonce-([^']+)'/.exec(res.headers['content-security-policy']!)![1]!);
    }
    expect(nonces.size).toBe(5);
  });

  it('serves deep links with the console document, and hashed assets with long caching', async () => {
    const deep = await http()
      .get('/people/search')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(deep.text).toContain('<app-root');
    const asset = await http().get('/main-ABCD1234.js').expect(200);
    expectBaseline(asset.headers);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await http().get('/favicon.svg').expect(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with the JSON 404, not the document', async () => {
    const res = await http().get('/missing-ABCD1234.js').expect(404);
    expect(res.body.code).toBe('not_found');
  });

  it('sets the API policy and no-store on API responses, errors included', async () => {
    for (const [path, status] of [
      ['/health/live', 200],
      ['/health/ready', 200],
      ['/api/nowhere', 404],
    ] as const) {
      const res = await http().get(path).expect(status);
      expectBaseline(res.headers);
      expect(directives(res.headers['content-security-policy']!).get('default-src')).toEqual([
        "'none'",
      ]);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('sets the headers on rejected bodies too', async () => {
    const res = await http()
      .post('/api/anything')
      .set('Content-Type', 'text/plain')
      .send('x')
      .expect(415);
    expectBaseline(res.headers);
  });

  it('does not serve dotfiles or escape the console folder', async () => {
    writeFileSync(join(consoleDir, '.secret'), 'nope');
    for (const path of ['/.secret', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await http().get(path);
      expect(res.text).not.toContain('nope');
      expect(res.text).not.toContain('root:');
    }
  });
});
