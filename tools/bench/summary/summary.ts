/**
 * The summary at the top of docs/benchmarks.md: one table of every target the benchmarks
 * report, gathered from the sections they wrote (each section's "Targets" table, its first
 * paragraph for when and where it ran), so the figures, their ratios to the control measured in
 * the same run, the machine and the command sit in one place. Pure functions over Markdown; the
 * file is read and written by main.ts.
 */

export interface BenchmarkEntry {
  /** The name `npm run bench:<name>` takes. */
  readonly name: string;
  /** The exact heading of the section that benchmark writes. */
  readonly heading: string;
}

export interface SectionSummary {
  readonly name: string;
  readonly heading: string;
  readonly present: boolean;
  /** The section's first paragraph (command, date, machine), or null when it has none. */
  readonly provenance: string | null;
  /** Rows of its "Targets" table as [target, measured, met], possibly empty. */
  readonly targets: readonly (readonly [string, string, string])[];
}

export const SUMMARY_HEADING = '## Summary of targets (npm run bench)';

/** The lines of the section under `heading` (up to the next `## `), or null. */
export function sectionLines(markdown: string, heading: string): string[] | null {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start === -1) return null;
  let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  if (end === -1) end = lines.length;
  return lines.slice(start + 1, end);
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** One benchmark's section read back: its provenance paragraph and its targets. */
export function summariseSection(markdown: string, entry: BenchmarkEntry): SectionSummary {
  const lines = sectionLines(markdown, entry.heading);
  if (lines === null) {
    return { ...entry, present: false, provenance: null, targets: [] };
  }
  const firstParagraph: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (firstParagraph.length > 0) break;
      continue;
    }
    if (line.startsWith('#') || line.startsWith('|')) break;
    firstParagraph.push(line.trim());
  }
  const targets: [string, string, string][] = [];
  const at = lines.findIndex((line) => /^### Targets\b/.test(line));
  if (at !== -1) {
    const table = lines.slice(at + 1).filter((line, i, all) => {
      const before = all.slice(0, i);
      return line.startsWith('|') && !before.some((l) => l.startsWith('#'));
    });
    const [header, , ...rows] = table;
    if (header !== undefined) {
      const names = cells(header).map((c) => c.toLowerCase());
      const target = names.indexOf('target');
      const measured = names.indexOf('measured');
      const met = names.indexOf('met');
      if (target !== -1 && measured !== -1 && met !== -1) {
        for (const row of rows) {
          const c = cells(row);
          targets.push([c[target] ?? '', c[measured] ?? '', c[met] ?? '']);
        }
      }
    }
  }
  return {
    ...entry,
    present: true,
    provenance: firstParagraph.length > 0 ? firstParagraph.join(' ') : null,
    targets,
  };
}

/** When and where a section ran, shortened from its provenance paragraph. */
function when(provenance: string | null): string {
  if (provenance === null) return 'not recorded';
  const date = /\b(20\d\d-\d\d-\d\d)\b/.exec(provenance)?.[1];
  const produced = /\d{4}-\d\d-\d\d: ([^;]*?)(?:; |\. Whole|$)/.exec(provenance)?.[1];
  const machine =
    produced?.split(', ').slice(0, 3).join(', ') ??
    /\bon ([A-Z][^(]*\([^)]*cores[^)]*\))/.exec(provenance)?.[1];
  const nodeVersion = /\bNode (v\d+\.\d+\.\d+)/.exec(provenance)?.[1];
  const parts = [date, machine, nodeVersion && `Node ${nodeVersion}`];
  return parts.filter((p) => p !== undefined).join(', ') || 'see its section';
}

export interface RunOutcome {
  /** Benchmarks that failed in this run (their sections keep the previous figures). */
  readonly failed: readonly string[];
  /** Benchmarks not present in this checkout. */
  readonly missing: readonly string[];
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

/** The body of the summary section. */
export function summaryBody(
  summaries: readonly SectionSummary[],
  outcome: RunOutcome,
  markdownTable: (h: readonly string[], r: readonly (readonly string[])[]) => string,
): string {
  const rows: string[][] = [];
  for (const s of summaries) {
    const command = `\`npm run bench:${s.name}\``;
    const status = outcome.missing.includes(s.name)
      ? 'not in this checkout'
      : outcome.failed.includes(s.name)
        ? `**failed in the last run**; figures from ${when(s.provenance)}`
        : s.present
          ? when(s.provenance)
          : 'no section yet';
    if (s.targets.length === 0) {
      rows.push([command, status, 'see its section (no targets table)', '', '']);
      continue;
    }
    for (const [target, measured, met] of s.targets) {
      rows.push([command, status, escape(target), escape(measured), escape(met)]);
    }
  }
  const notMet = summaries.flatMap((s) => s.targets).filter(([, , met]) => !/^yes\b/.test(met));
  return [
    'Rewritten by `npm run bench` (all benchmarks, one after the other, each in its own Node ' +
      'process) and after `npm run bench:<name>`, from the sections below: every target the ' +
      'issues set, measured against its control in the same run of the same benchmark (the ' +
      'ratio is in "Measured"), with the date and machine of that run. A benchmark that fails ' +
      'keeps its previous section, marked here. Figures from different rows may come from ' +
      'different runs and machines: compare ratios, not absolute numbers.',
    markdownTable(['Command', 'Run', 'Target', 'Measured', 'Met'], rows),
    `${summaries.reduce((n, s) => n + s.targets.length, 0)} targets, ${notMet.length} not met.`,
  ].join('\n\n');
}

/**
 * Puts the summary right after the file's introduction (before the first `## ` section) when it
 * is not there yet; replaceDocsSection then rewrites it in place.
 */
export function placeSummary(markdown: string): string {
  if (markdown.split('\n').some((line) => line.trim() === SUMMARY_HEADING)) return markdown;
  const lines = markdown.split('\n');
  const first = lines.findIndex((line) => line.startsWith('## '));
  if (first === -1) return `${markdown.trimEnd()}\n\n${SUMMARY_HEADING}\n`;
  return [...lines.slice(0, first), SUMMARY_HEADING, '', ...lines.slice(first)].join('\n');
}
