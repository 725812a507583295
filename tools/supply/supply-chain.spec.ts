import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** tools/supply/supply-chain.mjs run as `npm test` runs it, on hand-made inputs. */
const script = resolve(__dirname, 'supply-chain.mjs');
const root = resolve(__dirname, '../..');
const SKIPPED = 75;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'harbour-supply-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: root });

function file(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

const INTEGRITY = `sha512-${'A'.repeat(86)}==`;
function lock(packages: Record<string, Record<string, unknown>>) {
  return {
    name: 'harbour',
    version: '0.1.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'harbour', version: '0.1.0' }, ...packages },
  };
}

describe('lockfile', () => {
  it("passes the repository's own lockfile", () => {
    const result = run('lockfile');
    expect(result.stdout).toMatch(/lockfile: \d+ entries, all registry versions/);
    expect(result.status).toBe(0);
  });

  it('passes registry versions with integrity', () => {
    const path = file(
      'good.json',
      lock({ 'node_modules/a': { version: '1.2.3', integrity: INTEGRITY } }),
    );
    expect(run('lockfile', '--lockfile', path).status).toBe(0);
  });

  it.each([
    ['a git source', { version: 'git+ssh://git@example.org/a/a.git#abc', integrity: INTEGRITY }],
    ['a GitHub shorthand', { version: 'github:a/a#abc', integrity: INTEGRITY }],
    ['a tarball URL', { version: 'https://example.org/a-1.0.0.tgz', integrity: INTEGRITY }],
    ['a file source', { version: 'file:../a', integrity: INTEGRITY }],
    ['no integrity', { version: '1.2.3' }],
    ['a sha1 integrity', { version: '1.2.3', integrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    [
      'an http resolved URL',
      { version: '1.2.3', integrity: INTEGRITY, resolved: 'http://example.org/a/-/a-1.2.3.tgz' },
    ],
  ])('fails %s', (_label, entry) => {
    const path = file('bad.json', lock({ 'node_modules/a': entry }));
    const result = run('lockfile', '--lockfile', path);
    expect(result.stdout).toContain('FAILED');
    expect(result.status).toBe(1);
  });
});

describe('audit', () => {
  const EXCEPTIONS = `# Supply chain

### Accepted audit exceptions

| Advisory | Package | Severity | Why it is accepted | Review by |
| --- | --- | --- | --- | --- |
| [GHSA-2222-3333-4444](https://github.com/advisories/GHSA-2222-3333-4444) | \`b\` | high | build tool only, never given input | 2099-01-01 |
| GHSA-5555-6666-7777 | \`c\` | high | expired | 2020-01-01 |
`;
  const exceptions = () => file('supply-chain.md', EXCEPTIONS);

  function advisory(id: string, name: string, severity: string) {
    return {
      source: 1,
      name,
      dependency: name,
      title: `${name} is vulnerable`,
      url: `https://github.com/advisories/${id}`,
      severity,
      range: '<9.9.9',
    };
  }
  function report(vulnerabilities: Record<string, unknown>, counts: Record<string, number>) {
    return { auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } };
  }
  const audit = (body: unknown) =>
    run(
      'audit',
      '--audit-json',
      file('audit.json', body),
      '--exceptions',
      exceptions(),
      '--today',
      '2026-12-06',
    );

  it('is skipped, with the reason, when the registry has no audit endpoint', () => {
    const result = audit({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/audits',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    expect(result.status).toBe(SKIPPED);
    expect(result.stdout).toMatch(/SKIPPED: npm audit gave no report: 405 Method Not Allowed/);
  });

  it('is skipped when there is no output at all (no network)', () => {
    const result = audit('');
    expect(result.status).toBe(SKIPPED);
    expect(result.stdout).toContain('SKIPPED');
  });

  it('passes a clean report and one with only moderate findings', () => {
    expect(audit(report({}, { high: 0, critical: 0, total: 0 })).status).toBe(0);
    const moderate = report(
      {
        a: {
          name: 'a',
          severity: 'moderate',
          via: [advisory('GHSA-aaaa-bbbb-cccc', 'a', 'moderate')],
        },
      },
      { moderate: 1, total: 1 },
    );
    expect(audit(moderate).status).toBe(0);
  });

  it('fails a high finding that is not documented', () => {
    const result = audit(
      report(
        {
          a: { name: 'a', severity: 'high', via: [advisory('GHSA-aaaa-bbbb-cccc', 'a', 'high')] },
          parent: { name: 'parent', severity: 'high', via: ['a'] },
        },
        { high: 2, total: 2 },
      ),
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAILED high GHSA-aaaa-bbbb-cccc a');
  });

  it('fails a critical finding that is not documented', () => {
    const result = audit(
      report(
        {
          a: {
            name: 'a',
            severity: 'critical',
            via: [advisory('GHSA-aaaa-bbbb-cccc', 'a', 'critical')],
          },
        },
        { critical: 1, total: 1 },
      ),
    );
    expect(result.status).toBe(1);
  });

  it('passes a high finding documented as an exception, and names exceptions gone stale', () => {
    const result = audit(
      report(
        { b: { name: 'b', severity: 'high', via: [advisory('GHSA-2222-3333-4444', 'b', 'high')] } },
        { high: 1, total: 1 },
      ),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('accepted high GHSA-2222-3333-4444 b');
    expect(result.stdout).toContain('exception GHSA-5555-6666-7777 no longer matches');
  });

  it('fails a finding whose exception is past its review date', () => {
    const result = audit(
      report(
        { c: { name: 'c', severity: 'high', via: [advisory('GHSA-5555-6666-7777', 'c', 'high')] } },
        { high: 1, total: 1 },
      ),
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('exception expired on 2020-01-01');
  });

  it('reads the exceptions table of docs/supply-chain.md', () => {
    const docs = readFileSync(join(root, 'docs/supply-chain.md'), 'utf8');
    expect(docs).toMatch(/^### Accepted audit exceptions$/m);
    expect(docs).toMatch(
      /^\| Advisory \| Package \| Severity \| Why it is accepted \| Review by \|$/m,
    );
  });
});
