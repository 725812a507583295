import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** tools/console-budget.mjs, run as the build runs it, on small hand-made bundles. */
const script = resolve(__dirname, 'console-budget.mjs');

interface Figures {
  files: { name: string; kind: string; raw: number; gzip: number; brotli: number }[];
  js: { raw: number; gzip: number; brotli: number };
  css: { raw: number; gzip: number; brotli: number };
}

function bundle(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'harbour-budget-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [script, dir, ...args], { encoding: 'utf8' });

const INDEX =
  '<!doctype html><html><head><link rel="stylesheet" href="/styles-AAAAAAAA.css"></head><body>' +
  '<app-root></app-root><link rel="modulepreload" href="/chunk-BBBBBBBB.js">' +
  '<script src="/main-CCCCCCCC.js" type="module"></script></body></html>';

describe('console-budget', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('counts the files index.html loads and their static imports, not lazy ones', () => {
    const filler = (n: number) => `/*${'x'.repeat(n)}*/`;
    const dir = bundle({
      'index.html': INDEX,
      'styles-AAAAAAAA.css': `body{color:red}${filler(100)}`,
      'chunk-BBBBBBBB.js': `export const b=1;${filler(10)}`,
      'main-CCCCCCCC.js':
        'import{b as x}from"./chunk-BBBBBBBB.js";import"./chunk-DDDDDDDD.js";' +
        'const lazy=()=>import("./chunk-EEEEEEEE.js");export{x,lazy};',
      'chunk-DDDDDDDD.js': `import{y}from"./chunk-FFFFFFFF.js";export const d=y;`,
      'chunk-FFFFFFFF.js': `export const y=2;${filler(1000)}`,
      'chunk-EEEEEEEE.js': `export const lazy=3;${filler(5000)}`,
    });
    dirs.push(dir);
    const result = run(dir, '--json');
    expect(result.status).toBe(0);
    const figures = JSON.parse(result.stdout) as Figures;
    expect(figures.files.map((f) => f.name).sort()).toEqual([
      'chunk-BBBBBBBB.js',
      'chunk-DDDDDDDD.js',
      'chunk-FFFFFFFF.js',
      'main-CCCCCCCC.js',
      'styles-AAAAAAAA.css',
    ]);
    const js = figures.files.filter((f) => f.kind === 'js');
    expect(figures.js.raw).toBe(js.reduce((sum, f) => sum + f.raw, 0));
    expect(figures.js.raw).toBeGreaterThan(1000);
    expect(figures.js.raw).toBeLessThan(5000);
    expect(figures.css.raw).toBe(readFileSync(join(dir, 'styles-AAAAAAAA.css')).length);
    for (const f of figures.files) {
      expect(f.gzip).toBeGreaterThan(0);
      expect(f.brotli).toBeGreaterThan(0);
    }
  });

  it('passes within the budget and writes brotli and gzip copies that decompress to the file', () => {
    const main = `export const text = ${JSON.stringify('harbour '.repeat(20_000))};`;
    const dir = bundle({
      'index.html': INDEX,
      'styles-AAAAAAAA.css': 'body{color:red}'.repeat(100),
      'chunk-BBBBBBBB.js': 'export const b=1;',
      'main-CCCCCCCC.js': main,
      'font-AAAAAAAA.woff2': randomBytes(2000),
    });
    dirs.push(dir);
    const result = run(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/initial js .* gzip/);
    const original = readFileSync(join(dir, 'main-CCCCCCCC.js'));
    expect(brotliDecompressSync(readFileSync(join(dir, 'main-CCCCCCCC.js.br')))).toEqual(original);
    expect(gunzipSync(readFileSync(join(dir, 'main-CCCCCCCC.js.gz')))).toEqual(original);
    expect(existsSync(join(dir, 'font-AAAAAAAA.woff2.br'))).toBe(false);
  });

  it('names every statically imported module in index.html and moves the style sheet after the shell', () => {
    const dir = bundle({
      'index.html': INDEX,
      'styles-AAAAAAAA.css': 'body{}',
      'chunk-BBBBBBBB.js': 'export const b=1;',
      'main-CCCCCCCC.js':
        'import"./chunk-DDDDDDDD.js";const lazy=()=>import("./chunk-EEEEEEEE.js");export{lazy};',
      'chunk-DDDDDDDD.js': 'import{y}from"./chunk-FFFFFFFF.js";export const d=y;',
      'chunk-FFFFFFFF.js': 'export const y=2;',
      'chunk-EEEEEEEE.js': 'export const lazy=3;',
      'ngsw.json': JSON.stringify({ hashTable: { '/index.html': 'stale' } }),
    });
    dirs.push(dir);
    expect(run(dir).status).toBe(0);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(
      (m) => m[1],
    );
    expect(preloads).toEqual(['/chunk-BBBBBBBB.js', '/chunk-DDDDDDDD.js', '/chunk-FFFFFFFF.js']);
    const head = /<head>[\s\S]*<\/head>/.exec(html)![0];
    expect(head).not.toContain('stylesheet');
    expect(html).toContain('</app-root><link rel="stylesheet" href="/styles-AAAAAAAA.css">');
    expect(html.indexOf('stylesheet')).toBeLessThan(html.indexOf('<script'));
    const ngsw = JSON.parse(readFileSync(join(dir, 'ngsw.json'), 'utf8')) as {
      hashTable: Record<string, string>;
    };
    expect(ngsw.hashTable['/index.html']).toBe(createHash('sha1').update(html).digest('hex'));
    // A second run (an Nx cache restore, a rebuild of the step) changes nothing.
    expect(run(dir).status).toBe(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(html);
  });

  it('fails the build when the initial JavaScript is over 250 kB gzip', () => {
    // Random bytes (as base64) barely compress: 400 kB of them stay well over 250 kB gzip.
    const main = `export const noise = "${randomBytes(300_000).toString('base64')}";`;
    const dir = bundle({
      'index.html': INDEX,
      'styles-AAAAAAAA.css': 'body{}',
      'chunk-BBBBBBBB.js': 'export const b=1;',
      'main-CCCCCCCC.js': main,
    });
    dirs.push(dir);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/over the budget of 250\.0 kB/);
  });
});
