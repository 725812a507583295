import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { NONCE_PLACEHOLDER, WORKER_CSP } from './console.middleware';

/**
 * The console's service worker files (docs/adr/0013): served so that every deploy is seen at
 * once (`no-cache`), with a manifest the worker can install from although `index.html` carries a
 * per-response nonce, and a policy of its own for the worker.
 */
describe('service worker files', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let consoleDir: string;

  const built = {
    configVersion: 1,
    timestamp: 1,
    index: '/index.html',
    assetGroups: [
      {
        name: 'shell',
        installMode: 'prefetch',
        updateMode: 'prefetch',
        cacheQueryOptions: { ignoreVary: true },
        urls: ['/index.html', '/main-ABCD1234.js', '/manifest.webmanifest'],
        patterns: [],
      },
    ],
    dataGroups: [],
    hashTable: {
      '/index.html': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '/main-ABCD1234.js': 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      '/manifest.webmanifest': 'cccccccccccccccccccccccccccccccccccccccc',
    },
    navigationUrls: [],
    navigationRequestStrategy: 'freshness',
  };

  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'harbour-console-sw-'));
    writeFileSync(
      join(consoleDir, 'index.html'),
      `<!doctype html><html><body><app-root ngCspNonce="${NONCE_PLACEHOLDER}"></app-root></body></html>`,
    );
    writeFileSync(join(consoleDir, 'main-ABCD1234.js'), 'export {};');
    writeFileSync(join(consoleDir, 'ngsw.json'), JSON.stringify(built));
    writeFileSync(join(consoleDir, 'ngsw-worker.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(consoleDir, 'safety-worker.js'), '');
    writeFileSync(join(consoleDir, 'manifest.webmanifest'), '{"name":"Harbour"}');
    db = await createTestDatabase();
    harbour = await createTestApp(db, { env: { HARBOUR_CONSOLE_DIR: consoleDir } });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  const http = () => request(harbour.app.getHttpServer());

  it('serves ngsw.json without index.html in its hash table, never from a stale cache', async () => {
    const res = await http()
      .get('/ngsw.json?ngsw-cache-bust=0.5')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const served = JSON.parse(res.text) as typeof built;
    expect(Object.keys(served.hashTable).sort()).toEqual([
      '/main-ABCD1234.js',
      '/manifest.webmanifest',
    ]);
    // Still cached by the worker: it stays in its group's urls.
    expect(served.assetGroups[0]!.urls).toContain('/index.html');
    expect({ ...served, hashTable: built.hashTable }).toEqual(built);
  });

  it('serves the worker scripts with no-cache and a policy that lets them fetch our files only', async () => {
    for (const path of ['/ngsw-worker.js', '/safety-worker.js']) {
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(WORKER_CSP);
    }
    expect(WORKER_CSP).toContain("connect-src 'self'");
    expect(WORKER_CSP).toContain("default-src 'none'");
  });

  it('serves the web app manifest with no-cache and its own content type', async () => {
    const res = await http().get('/manifest.webmanifest').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/manifest\+json/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('keeps the document per-response (fresh nonce) and API responses uncacheable', async () => {
    const a = await http().get('/index.html?ngsw-cache-bust=1').expect(200);
    const b = await http().get('/index.html?ngsw-cache-bust=1').expect(200);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.text).not.toBe(b.text);
    const api = await http().get('/api/auth/session');
    expect(api.headers['cache-control']).toBe('no-store');
  });
});
