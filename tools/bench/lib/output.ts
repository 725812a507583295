import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { format, resolveConfig } from 'prettier';

/** Writes JSON through a `.tmp` file and a rename, so a crash never leaves half a record. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

const DOCS_INTRO = `# Benchmarks

Benchmarks are run on demand with \`npm run bench\` (all of them) or \`npm run bench:<name>\`
(one). They run locally (in-process or over loopback only), never as tests, and nothing asserts a
time (docs/style.md §21). Each section below is rewritten by the command in its heading and records
the machine it ran on: figures come from one machine and one run, so compare ratios rather than
absolute numbers across machines. The raw figures, with every round, are in
\`bench-results/<name>.json\`, committed as the record.
`;

/**
 * Replaces the section whose heading is exactly `heading` (from that line up to the next `## `
 * heading or the end of the file) with `body`, or appends it; creates the file with a short
 * introduction if it does not exist. The result is formatted with the repository's Prettier
 * settings, so `prettier --check` stays green.
 */
export async function replaceDocsSection(
  file: string,
  heading: string,
  body: string,
): Promise<void> {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : DOCS_INTRO;
  const section = `${heading}\n\n${body.trim()}\n`;
  const lines = current.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    next = [before, section.trimEnd(), after].filter((part) => part.length > 0).join('\n\n');
    next = `${next}\n`;
  }
  const options = (await resolveConfig(file)) ?? {};
  const formatted = await format(next, { ...options, filepath: file });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatted);
}

/** A Markdown table: a header row, its rule, and the rows. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
