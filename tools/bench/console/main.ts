import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { formatNumber, machineInfo, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';

/**
 * `npm run bench:console [-- --runs=N] [-- --no-write]`: the console's cold first load on a
 * slow phone link. Starts Harbour (tools/start.mjs, as `npm start` does, on loopback ports and a
 * private data folder; builds first if dist/ is missing), then loads /sign-in in Debian's
 * Chromium (playwright-core, a fresh profile per load, the HTTP cache disabled) under Chromium's
 * network emulation (CDP `Network.emulateNetworkConditions`: 50,000 bytes/s down and up,
 * 400 ms round trip), N times with compression (the browser's own Accept-Encoding) and N times
 * without (`Accept-Encoding: identity`, the "before"), interleaved. Reports first paint, first
 * contentful paint (the boot shell), the sign-in form usable (email field and a translated
 * submit button in the page), the bytes on the wire, and the compressed sizes of the initial
 * JS/CSS (tools/console-budget.mjs). Medians. Writes bench-results/console.json and the "Console
 * on a slow phone" section of docs/benchmarks.md. Nothing asserts a time (docs/style.md §21).
 */

const DOCS_HEADING = '## Console on a slow phone (npm run bench:console)';
const CHROMIUM = process.env['HARBOUR_CHROMIUM'] ?? '/usr/bin/chromium';
const root = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The emulated link: 50 KB/s each way, 400 ms round trip. */
const LINK = { downloadBytesPerSecond: 50_000, uploadBytesPerSecond: 50_000, latencyMs: 400 };
/** Give up on one load after this long (a broken build must not hang the bench). */
const LOAD_TIMEOUT_MS = 120_000;
/** Give up on the whole bench after this long. */
const BENCH_TIMEOUT_MS = 20 * 60_000;

type Mode = 'compressed' | 'uncompressed';

interface Load {
  readonly mode: Mode;
  readonly firstPaintMs: number | null;
  readonly firstContentfulPaintMs: number | null;
  readonly signInUsableMs: number;
  readonly bytesOnWire: number;
  readonly requests: number;
  /** Content-Encoding of the main script's response. */
  readonly mainScriptEncoding: string;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** `npm start` minus its build step, on loopback and private ports; resolves with its URL. */
async function startHarbour(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, 'tools/start.mjs')], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      HARBOUR_SKIP_BUILD: 'true',
      HARBOUR_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HARBOUR_EMBEDDED_DB_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Harbour did not start:\n${output}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match =
        /"msg":"listening"[^\n]*"url":"([^"]+)"|"url":"([^"]+)"[^\n]*"msg":"listening"/.exec(
          output,
        );
      if (match !== null) {
        clearTimeout(timer);
        done(match[1] ?? match[2]!);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Harbour exited (${code}) before listening:\n${output}`));
    });
  });
  return { url, child };
}

async function stopHarbour(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Records, from the first script that runs in the page, when the sign-in form became usable. */
const WATCH_SIGN_IN = `(() => {
  const usable = () => {
    const email = document.querySelector('[data-testid="sign-in-email"]');
    const submit = document.querySelector('[data-testid="sign-in-submit"]');
    if (email === null || submit === null) return false;
    const label = (submit.textContent || '').trim();
    return label !== '' && !/^[a-zA-Z]+(\\.[a-zA-Z-]+)+$/.test(label);
  };
  const check = () => {
    if (window.__harbourUsable === undefined && usable()) {
      window.__harbourUsable = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_m, observer) => { if (check()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
})();`;

async function load(browser: Browser, url: string, mode: Mode): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    await context.addInitScript(WATCH_SIGN_IN);
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LINK.latencyMs,
      downloadThroughput: LINK.downloadBytesPerSecond,
      uploadThroughput: LINK.uploadBytesPerSecond,
    });
    if (mode === 'uncompressed') {
      await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    }
    let bytesOnWire = 0;
    let requests = 0;
    let mainScriptEncoding = '?';
    const mainRequests = new Set<string>();
    cdp.on('Network.responseReceived', (event) => {
      if (/\/main-[A-Z0-9]+\.js$/.test(event.response.url)) {
        mainRequests.add(event.requestId);
        const headers = event.response.headers as Record<string, string>;
        const encoding = Object.entries(headers).find(
          ([name]) => name.toLowerCase() === 'content-encoding',
        );
        mainScriptEncoding = encoding?.[1] ?? 'identity';
      }
    });
    cdp.on('Network.loadingFinished', (event) => {
      bytesOnWire += event.encodedDataLength;
      requests++;
    });
    await page.goto(`${url}/sign-in`, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    // Run in the page (this file is compiled without the DOM's types: `globalThis` is `window`).
    type PageGlobals = { __harbourUsable?: number };
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).__harbourUsable !== undefined,
      null,
      { timeout: LOAD_TIMEOUT_MS, polling: 250 },
    );
    const figures = await page.evaluate(() => {
      const paint = (name: string): number | null =>
        performance.getEntriesByName(name, 'paint' as never)[0]?.startTime ?? null;
      return {
        fp: paint('first-paint'),
        fcp: paint('first-contentful-paint'),
        usable: (globalThis as unknown as PageGlobals).__harbourUsable!,
      };
    });
    return {
      mode,
      firstPaintMs: figures.fp,
      firstContentfulPaintMs: figures.fcp,
      signInUsableMs: figures.usable,
      bytesOnWire,
      requests,
      mainScriptEncoding,
    };
  } finally {
    await context.close();
  }
}

interface Sizes {
  js: { raw: number; gzip: number; brotli: number };
  css: { raw: number; gzip: number; brotli: number };
  files: unknown[];
  budget: { jsGzip: number };
}

function initialSizes(dir: string): Sizes {
  const run = spawnSync(process.execPath, [join(root, 'tools/console-budget.mjs'), dir, '--json'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`console-budget failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Sizes;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(2)} s`);
const kB = (bytes: number) => `${formatNumber(bytes / 1000)} kB`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes('--no-write');
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? '3');
  const bundleDir = join(root, 'dist/apps/console/browser');
  if (
    !existsSync(join(bundleDir, 'index.html')) ||
    !existsSync(join(root, 'dist/apps/api/main.js'))
  ) {
    log('building the API and the console (npm run build)…');
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the build failed');
  }
  const sizes = initialSizes(bundleDir);
  const dataDir = mkdtempSync(join(tmpdir(), 'harbour-bench-console-'));
  const deadline = setTimeout(() => {
    log(`bench:console: gave up after ${BENCH_TIMEOUT_MS / 60_000} minutes`);
    process.exit(1);
  }, BENCH_TIMEOUT_MS);
  let harbour: { url: string; child: ChildProcess } | null = null;
  let browser: Browser | null = null;
  const loads: Load[] = [];
  try {
    log('starting Harbour…');
    harbour = await startHarbour(dataDir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // One warm-up load per mode (the server compresses nothing lazily, but its JIT warms up).
    for (const mode of ['compressed', 'uncompressed'] as const)
      await load(browser, harbour.url, mode);
    for (let i = 0; i < runs; i++) {
      for (const mode of ['compressed', 'uncompressed'] as const) {
        const result = await load(browser, harbour.url, mode);
        log(
          `${mode} #${i + 1}: usable at ${seconds(result.signInUsableMs)}, ${kB(result.bytesOnWire)} on the wire (main script: ${result.mainScriptEncoding})`,
        );
        loads.push(result);
      }
    }
  } finally {
    clearTimeout(deadline);
    await browser?.close();
    if (harbour !== null) await stopHarbour(harbour.child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const summary = (mode: Mode) => {
    const of = loads.filter((l) => l.mode === mode);
    const med = (pick: (l: Load) => number | null) => {
      const values = of.map(pick).filter((v): v is number => v !== null);
      return values.length === 0 ? null : median(values);
    };
    return {
      runs: of.length,
      firstPaintMs: med((l) => l.firstPaintMs),
      firstContentfulPaintMs: med((l) => l.firstContentfulPaintMs),
      signInUsableMs: med((l) => l.signInUsableMs)!,
      bytesOnWire: med((l) => l.bytesOnWire)!,
      requests: med((l) => l.requests)!,
      mainScriptEncoding: of[0]?.mainScriptEncoding ?? '?',
    };
  };
  const compressed = summary('compressed');
  const uncompressed = summary('uncompressed');
  const header = [
    'Load (median)',
    'First paint',
    'First contentful paint (shell)',
    'Sign-in usable',
    'On the wire',
    'Requests',
    'Main script coding',
  ];
  const row = (label: string, s: typeof compressed) => [
    label,
    seconds(s.firstPaintMs),
    seconds(s.firstContentfulPaintMs),
    seconds(s.signInUsableMs),
    kB(s.bytesOnWire),
    String(s.requests),
    s.mainScriptEncoding,
  ];
  const rows = [row('Compressed (now)', compressed), row('Uncompressed (before)', uncompressed)];
  const sizeRows = [
    [
      'Initial JS',
      kB(sizes.js.raw),
      kB(sizes.js.gzip),
      kB(sizes.js.brotli),
      kB(sizes.budget.jsGzip),
    ],
    ['Initial CSS', kB(sizes.css.raw), kB(sizes.css.gzip), kB(sizes.css.brotli), '–'],
  ];
  const sizeHeader = ['Initial files', 'Raw', 'gzip -9', 'brotli -11', 'Budget (gzip)'];
  process.stdout.write(`${textTable(header, rows)}\n\n${textTable(sizeHeader, sizeRows)}\n`);
  if (!write) return;

  const machine = machineInfo();
  const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
  writeJsonAtomically(join(root, 'bench-results/console.json'), {
    benchmark: 'console',
    date: new Date().toISOString(),
    machine,
    chromium: chromiumVersion,
    link: LINK,
    viewport: { width: 360, height: 740 },
    runsPerMode: runs,
    summary: { compressed, uncompressed },
    sizes,
    loads,
  });
  const body = `
\`npm run bench:console\` (\`-- --runs=${runs}\`) on ${machine.cpuModel} (${machine.cores} cores shared
with other work, ${machine.memoryGiB} GiB), Node ${machine.node}, ${chromiumVersion}, ${new Date().toISOString().slice(0, 10)}.
A cold load of \`/sign-in\` at 360×740 with Chromium's network emulation (50,000 bytes/s each way,
400 ms round trip, HTTP cache disabled, a fresh profile per load), over loopback HTTP. "Before" is
the same server and build asked for \`Accept-Encoding: identity\`, which is what every load got
before compression was added (both rows have the other changes of index.html: every initial
module preloaded, the style sheet after the boot shell); loads alternate between the two. Medians of ${runs} loads each
after one warm-up load each; raw loads are in \`bench-results/console.json\`.

${markdownTable(header, rows)}

"Sign-in usable": the email field and a translated submit button are in the page (Angular has
booted, the sign-in route and the English translations have arrived). The first contentful
paint is the boot shell of \`apps/console/src/index.html\` (name, "Loading…" in five languages),
shown before any script runs. "Main script coding" is what the server sent for \`main-*.js\`.

### Initial files (what index.html loads, with their static imports)

${markdownTable(sizeHeader, sizeRows)}

The build fails when the initial JavaScript passes the budget (\`tools/console-budget.mjs\`, run by
\`nx run console:build\`; kB = 1,000 bytes).
`;
  await replaceDocsSection(join(root, 'docs/benchmarks.md'), DOCS_HEADING, body);
  log('wrote bench-results/console.json and docs/benchmarks.md');
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
