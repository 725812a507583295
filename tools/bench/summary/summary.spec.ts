import { placeSummary, SUMMARY_HEADING, summariseSection, summaryBody } from './summary';

/** lib/output's table (imported there with Prettier, which Jest cannot load). */
const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

const DOC = `# Benchmarks

Intro.

## Crypto (npm run bench:crypto)

Produced by \`npm run bench:crypto\` on 2026-11-23: AMD EPYC, 2 cores, 23.5 GiB, linux-x64, Node v20.20.2 (OpenSSL 3.0.19). Whole run 27.1 s.

### Targets (reported, not asserted)

| Target | Harbour | Reference | Measured | Met |
| --- | --- | --- | --- | --- |
| field ≥ 0.5× sodium-native | 1 ops/s | 2 ops/s | 0.77× | yes |
| blind index ≥ 0.7× sodium-native | 1 ops/s | 2 ops/s | 0.5× | **no** |

### Other

| Target | Measured | Met |
| --- | --- | --- |
| not a target row | 9× | yes |

## Console (npm run bench:console)

Ran on 2026-12-06.
`;

const crypto = { name: 'crypto', heading: '## Crypto (npm run bench:crypto)' };
const consoleEntry = { name: 'console', heading: '## Console (npm run bench:console)' };
const load = { name: 'load', heading: '## Load (npm run bench:load)' };

describe('the benchmarks summary', () => {
  it("reads a section's provenance and only its Targets table", () => {
    const s = summariseSection(DOC, crypto);
    expect(s.present).toBe(true);
    expect(s.provenance).toMatch(/^Produced by `npm run bench:crypto` on 2026-11-23/);
    expect(s.targets).toEqual([
      ['field ≥ 0.5× sodium-native', '0.77×', 'yes'],
      ['blind index ≥ 0.7× sodium-native', '0.5×', '**no**'],
    ]);
  });

  it('lists every benchmark: targets, machine, failures, sections without targets, missing ones', () => {
    const summaries = [crypto, consoleEntry, load].map((e) => summariseSection(DOC, e));
    const body = summaryBody(summaries, { failed: ['console'], missing: ['load'] }, markdownTable);
    expect(body).toContain(
      '| `npm run bench:crypto` | 2026-11-23, AMD EPYC, 2 cores, 23.5 GiB, Node v20.20.2 | field ≥ 0.5× sodium-native | 0.77× | yes |',
    );
    expect(body).toMatch(/`npm run bench:console` \| \*\*failed in the last run\*\*/);
    expect(body).toContain('| `npm run bench:load` | not in this checkout |');
    expect(body).not.toContain('not a target row');
    expect(body).toContain('2 targets, 1 not met.');
  });

  it('places the summary once, before the first section', () => {
    const placed = placeSummary(DOC);
    const lines = placed.split('\n');
    expect(lines.indexOf(SUMMARY_HEADING)).toBeLessThan(lines.indexOf(crypto.heading));
    expect(lines.indexOf(SUMMARY_HEADING)).toBeGreaterThan(lines.indexOf('Intro.'));
    expect(placeSummary(placed)).toBe(placed);
  });
});
