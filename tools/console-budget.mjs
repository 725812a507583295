#!/usr/bin/env node
// Runs after the Angular build, as part of `nx run console:build` (apps/console/project.json):
//  1. writes a brotli (quality 11) and a gzip (level 9) copy next to every text file of
//     dist/apps/console/browser, which the API serves to clients that accept them (docs/adr/0014);
//  2. completes index.html's module preloads: Angular names at most ten of the modules the app
//     imports statically before it boots, and the browser finds the others only after parsing
//     those (one more round trip, 400 ms and more on a slow phone link, for the largest: the
//     framework); every one of them is named, and ngsw.json's hash of index.html (when the service
//     worker is built) is brought up to date;
//     It also moves the global style sheet from <head> to just after </app-root>: a style sheet
//     in <head> holds back the first paint until it arrives (one more round trip), one in <body>
//     only what follows it, so the boot shell paints with the document; Angular's module script
//     still waits for it (scripts wait for the style sheets before them);
//  3. measures the initial files (those index.html loads: scripts, module preloads, style
//     sheets, and every module they import statically, transitively) raw, gzip and brotli, prints them, and fails the build when
//     the initial JavaScript is over the budget: 250 kB (250,000 bytes) gzip. Gzip, not brotli,
//     because every browser speaks gzip while brotli needs HTTPS; a build within the gzip budget
//     is within it for both.
// `node tools/console-budget.mjs [dir] [--json]`; `--json` prints the figures as JSON instead.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The budget, in bytes of gzip: initial JavaScript. */
export const INITIAL_JS_GZIP_BUDGET = 250_000;

const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
  '.xml',
  '.map',
]);

export function brotliSize(body) {
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

export function gzipBest(body) {
  return gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
}

/** The files index.html loads before Angular boots, as URL paths relative to the bundle. */
export function initialFiles(indexHtml) {
  const files = [];
  const tag = /<(script|link)\b([^>]*)>/gi;
  for (const [, name, attrs] of indexHtml.matchAll(tag)) {
    const attr = (key) => new RegExp(`\\b${key}="([^"]*)"`, 'i').exec(attrs)?.[1];
    if (name.toLowerCase() === 'script') {
      const src = attr('src');
      if (src !== undefined) files.push(src);
      continue;
    }
    const rel = (attr('rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr('href');
    if (href === undefined) continue;
    if (rel.includes('stylesheet') || rel.includes('modulepreload')) files.push(href);
  }
  return [...new Set(files)]
    .filter((f) => !/^[a-z]+:/i.test(f) && !f.startsWith('//'))
    .map((f) => f.replace(/^\//, '').split(/[?#]/)[0]);
}

/** Static imports (`import{a}from"./chunk-X.js"`, `import"./chunk-X.js"`), not `import()`. */
const STATIC_IMPORT =
  /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\/[^"']+\.m?js)["']/g;

/**
 * The initial files and every module they import statically, transitively: the browser must
 * fetch them all before the app boots (Angular names at most ten of them in module preloads).
 */
export function initialClosure(dir, indexHtml) {
  const seen = [];
  const queue = initialFiles(indexHtml);
  while (queue.length > 0) {
    const name = queue.shift();
    if (seen.includes(name)) continue;
    seen.push(name);
    if (!/\.m?js$/.test(name)) continue;
    const code = readFileSync(join(dir, name), 'utf8');
    const base = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
    for (const [, spec] of code.matchAll(STATIC_IMPORT)) queue.push(base + spec.slice(2));
  }
  return seen;
}

/** Moves `<link rel="stylesheet">` elements of <head> to just after `</app-root>`. */
export function stylesheetsAfterShell(html) {
  const head = /<head\b[\s\S]*?<\/head>/i.exec(html);
  if (head === null || !html.includes('</app-root>')) return html;
  const sheets = head[0].match(/<link\b[^>]*\brel="stylesheet"[^>]*>/gi) ?? [];
  if (sheets.length === 0) return html;
  let next = html.slice(0, head.index);
  next += sheets.reduce((text, sheet) => text.replace(sheet, ''), head[0]);
  next += html
    .slice(head.index + head[0].length)
    .replace('</app-root>', `</app-root>${sheets.join('')}`);
  return next;
}

/**
 * Moves the style sheets after the shell (stylesheetsAfterShell) and adds a `<link rel="modulepreload">` for every statically imported module index.html does not
 * name yet (after its last module preload, or before its first module script); returns how many.
 */
export function completePreloads(dir) {
  const indexFile = join(dir, 'index.html');
  const html = stylesheetsAfterShell(readFileSync(indexFile, 'utf8'));
  const named = new Set(initialFiles(html));
  const missing = initialClosure(dir, html).filter((f) => /\.m?js$/.test(f) && !named.has(f));
  const prefix = /<script\b[^>]*\bsrc="(\/?)[^"]*"/i.exec(html)?.[1] ?? '';
  const links = missing.map((f) => `<link rel="modulepreload" href="${prefix}${f}">`).join('');
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*>/gi)];
  const last = preloads.at(-1);
  const at =
    last !== undefined ? last.index + last[0].length : html.search(/<script\b[^>]*type="module"/i);
  if (at < 0) throw new Error('index.html has no module script');
  const next = missing.length === 0 ? html : html.slice(0, at) + links + html.slice(at);
  writeFileSync(indexFile, next);
  // The service worker checks what it caches against these hashes (SHA-1 of the content).
  const ngsw = join(dir, 'ngsw.json');
  if (existsSync(ngsw)) {
    const manifest = JSON.parse(readFileSync(ngsw, 'utf8'));
    if (manifest.hashTable?.['/index.html'] !== undefined) {
      manifest.hashTable['/index.html'] = createHash('sha1').update(next).digest('hex');
      writeFileSync(ngsw, `${JSON.stringify(manifest, null, 2)}\n`);
    }
  }
  return missing.length;
}

/** Raw, gzip and brotli sizes of the initial files of the console built in `dir`. */
export function measure(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = initialClosure(dir, html).map((name) => {
    const body = readFileSync(join(dir, name));
    return {
      name,
      kind: extname(name) === '.css' ? 'css' : 'js',
      raw: body.length,
      gzip: gzipBest(body).length,
      brotli: brotliSize(body).length,
    };
  });
  const total = (kind) =>
    files
      .filter((f) => f.kind === kind)
      .reduce(
        (sum, f) => ({
          raw: sum.raw + f.raw,
          gzip: sum.gzip + f.gzip,
          brotli: sum.brotli + f.brotli,
        }),
        {
          raw: 0,
          gzip: 0,
          brotli: 0,
        },
      );
  return { files, js: total('js'), css: total('css'), budget: { jsGzip: INITIAL_JS_GZIP_BUDGET } };
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() ? [full] : [];
  });
}

/** Writes `.br` and `.gz` next to each text file (when smaller); returns how many files. */
export function writeCompressedCopies(dir) {
  let count = 0;
  for (const file of walk(dir)) {
    // index.html is filled in (nonce) and compressed per response by the server.
    if (!COMPRESSIBLE.has(extname(file).toLowerCase()) || file === join(dir, 'index.html'))
      continue;
    const body = readFileSync(file);
    for (const [suffix, make] of [
      ['.br', brotliSize],
      ['.gz', gzipBest],
    ]) {
      const target = file + suffix;
      if (existsSync(target) && statSync(target).mtimeMs >= statSync(file).mtimeMs) continue;
      const out = make(body);
      if (out.length < body.length) writeFileSync(target, out);
    }
    count++;
  }
  return count;
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dir = resolve(root, args.find((a) => !a.startsWith('-')) ?? 'dist/apps/console/browser');
  if (!existsSync(join(dir, 'index.html'))) {
    process.stderr.write(`console-budget: ${dir}/index.html not found (build the console first)\n`);
    process.exit(2);
  }
  const preloads = json ? 0 : completePreloads(dir);
  const figures = measure(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  const copies = writeCompressedCopies(dir);
  const lines = [`console-budget: initial files of ${dir}`];
  for (const f of figures.files) {
    lines.push(
      `  ${f.name.padEnd(28)} raw ${kB(f.raw).padStart(9)}  gzip ${kB(f.gzip).padStart(9)}  brotli ${kB(f.brotli).padStart(9)}`,
    );
  }
  for (const kind of ['js', 'css']) {
    const t = figures[kind];
    lines.push(
      `  initial ${kind.padEnd(20)} raw ${kB(t.raw).padStart(9)}  gzip ${kB(t.gzip).padStart(9)}  brotli ${kB(t.brotli).padStart(9)}`,
    );
  }
  lines.push(`  module preloads added to index.html: ${preloads}`);
  lines.push(
    `  budget: initial js ≤ ${kB(INITIAL_JS_GZIP_BUDGET)} gzip; compressed copies written for ${copies} files`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (figures.js.gzip > INITIAL_JS_GZIP_BUDGET) {
    process.stderr.write(
      `console-budget: initial JavaScript is ${kB(figures.js.gzip)} gzip, over the budget of ${kB(INITIAL_JS_GZIP_BUDGET)}\n`,
    );
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main();
