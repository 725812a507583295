import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '../auth/access';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { NONCE_PLACEHOLDER } from './console.middleware';

/** A JSON answer well above the compression threshold, and one below it. */
@Controller('api/probe-compression')
class ProbeController {
  @Get('big')
  @Public()
  big(): { items: { n: number; label: string }[] } {
    return { items: Array.from({ length: 200 }, (_, n) => ({ n, label: `item number ${n}` })) };
  }

  @Get('small')
  @Public()
  small(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function decode(res: RawResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.body);
  if (encoding === 'gzip') return gunzipSync(res.body);
  if (encoding === undefined) return res.body;
  throw new Error(`unexpected coding ${encoding}`);
}

const SCRIPT = Buffer.from(
  Array.from({ length: 300 }, (_, i) => `export const value${i} = "harbour ${i}";`).join('\n'),
);
const STYLES = Buffer.from(
  Array.from(
    { length: 200 },
    (_, i) => `.c${i}{color:#${(i * 4099).toString(16).padStart(6, '0')}}`,
  ).join(''),
);
const FONT = randomBytes(4096);

describe('compression (docs/adr/0014)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let consoleDir: string;
  let server: Server;
  let base: string;

  /** A request with exactly the headers given (no client-side decompression). */
  const raw = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<RawResponse> =>
    new Promise((done, fail) => {
      const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });

  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'harbour-console-'));
    writeFileSync(
      join(consoleDir, 'index.html'),
      `<!doctype html><html><head><style nonce="${NONCE_PLACEHOLDER}">body{margin:0}</style>` +
        `<link rel="stylesheet" href="styles-ABCD1234.css"></head><body>` +
        `<main class="boot">Harbour — loading, กำลังโหลด, đang tải, 正在加载, 로드 중</main>` +
        `<app-root ngCspNonce="${NONCE_PLACEHOLDER}"></app-root>` +
        `<script src="main-ABCD1234.js" type="module"></script></body></html>`,
    );
    writeFileSync(join(consoleDir, 'main-ABCD1234.js'), SCRIPT);
    writeFileSync(join(consoleDir, 'styles-ABCD1234.css'), STYLES);
    // What the build writes: a brotli copy next to the file (used as it is).
    writeFileSync(join(consoleDir, 'styles-ABCD1234.css.br'), brotliCompressSync(STYLES));
    writeFileSync(join(consoleDir, 'font-ABCD1234.woff2'), FONT);
    writeFileSync(join(consoleDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    db = await createTestDatabase();
    harbour = await createTestApp(db, {
      imports: [ProbeModule],
      env: { HARBOUR_CONSOLE_DIR: consoleDir },
    });
    server = harbour.app.getHttpServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  describe('console files', () => {
    it.each([
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['br;q=0, gzip;q=0', undefined],
      ['identity', undefined],
      ['', undefined],
    ])(
      'answers Accept-Encoding "%s" with %s, decompressing to the exact file',
      async (accept, coding) => {
        const res = await raw(
          '/main-ABCD1234.js',
          accept === '' ? {} : { 'Accept-Encoding': accept },
        );
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(coding);
        expect(res.headers['vary']).toBe('Accept-Encoding');
        expect(res.headers['content-type']).toMatch(/javascript/);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        if (coding !== undefined) expect(res.body.length).toBeLessThan(SCRIPT.length / 3);
        expect(decode(res).equals(SCRIPT)).toBe(true);
      },
    );

    it('serves the precompressed copy the build wrote, and never that copy as a URL of its own', async () => {
      const res = await raw('/styles-ABCD1234.css', { 'Accept-Encoding': 'br' });
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.body.equals(brotliCompressSync(STYLES))).toBe(true);
      expect(decode(res).equals(STYLES)).toBe(true);
      // No gzip copy was written: made on the fly.
      const gz = await raw('/styles-ABCD1234.css', { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(decode(gz).equals(STYLES)).toBe(true);
      const direct = await raw('/styles-ABCD1234.css.br', { 'Accept-Encoding': 'br' });
      expect(direct.status).toBe(404);
    });

    it('never compresses an already-compressed format', async () => {
      const res = await raw('/font-ABCD1234.woff2', { 'Accept-Encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['vary']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.body.equals(FONT)).toBe(true);
    });

    it('keeps no-cache for unhashed names, and revalidates them with a per-coding ETag', async () => {
      const first = await raw('/favicon.svg', { 'Accept-Encoding': 'identity' });
      expect(first.headers['cache-control']).toBe('no-cache');
      const etag = first.headers['etag']!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await raw('/favicon.svg', { 'If-None-Match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      const br = await raw('/main-ABCD1234.js', { 'Accept-Encoding': 'br' });
      const plain = await raw('/main-ABCD1234.js');
      expect(br.headers['etag']).not.toBe(plain.headers['etag']);
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const get = await raw('/main-ABCD1234.js', { 'Accept-Encoding': 'br' });
      const head = await raw('/main-ABCD1234.js', { 'Accept-Encoding': 'br' }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of [
        'content-encoding',
        'content-length',
        'content-type',
        'vary',
        'cache-control',
        'etag',
      ]) {
        expect({ name, value: head.headers[name] }).toEqual({ name, value: get.headers[name] });
      }
    });

    it('compresses the document per response, with its fresh nonce and no caching', async () => {
      const nonces = new Set<string>();
      for (const accept of ['br', 'gzip', 'identity']) {
        const res = await raw('/people/search', { 'Accept-Encoding': accept });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(accept === 'identity' ? undefined : accept);
        expect(res.headers['vary']).toBe('Accept-Encoding');
        expect(res.headers['cache-control']).toBe('no-store');
        const html = decode(res).toString('utf8');
        const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))![1]!;
        expect(html).toContain(`<style nonce="${nonce}">`);
        expect(html).toContain(`ngCspNonce="${nonce}"`);
        expect(html).not.toContain(NONCE_PLACEHOLDER);
        nonces.add(nonce);
      }
      expect(nonces.size).toBe(3);
    });
  });

  describe('API answers', () => {
    it('compresses JSON above the threshold and it decompresses to exactly the uncompressed answer', async () => {
      const plain = await raw('/api/probe-compression/big', { 'Accept-Encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['vary']).toBe('Accept-Encoding');
      expect(plain.body.length).toBeGreaterThan(1024);
      for (const coding of ['br', 'gzip']) {
        const res = await raw('/api/probe-compression/big', { 'Accept-Encoding': coding });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(coding);
        expect(res.headers['vary']).toBe('Accept-Encoding');
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        expect(res.body.length).toBeLessThan(plain.body.length / 3);
        expect(decode(res).equals(plain.body)).toBe(true);
      }
      const head = await raw('/api/probe-compression/big', { 'Accept-Encoding': 'br' }, 'HEAD');
      expect(head.headers['content-encoding']).toBe('br');
      expect(head.body.length).toBe(0);
    });

    it('leaves small answers and errors as they are', async () => {
      const small = await raw('/api/probe-compression/small', { 'Accept-Encoding': 'br' });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString('utf8'))).toEqual({ ok: true });
      const missing = await raw('/api/no-such-route', { 'Accept-Encoding': 'br' });
      expect(missing.status).toBe(404);
      expect(missing.headers['content-encoding']).toBeUndefined();
    });

    it('never compresses an answer carrying a secret, however large (a second-factor enrolment)', async () => {
      const h = new AuthHarness(harbour);
      const org = await h.createOrganisation();
      const user = await h.createUser(org, { enrolled: false });
      const browser = h.browser();
      await browser.send('post', '/api/auth/login', { email: user.email, password: user.password });
      const enrol = await browser.send('post', '/api/auth/mfa/enrol', undefined, {
        headers: { 'Accept-Encoding': 'br, gzip' },
      });
      expect(enrol.status).toBe(200);
      expect(enrol.text.length).toBeGreaterThan(1024);
      expect(enrol.headers['content-encoding']).toBeUndefined();
    });
  });
});
