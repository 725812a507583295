import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { markdownTable, replaceDocsSection } from '../lib/output';
import {
  type BenchmarkEntry,
  placeSummary,
  SUMMARY_HEADING,
  summariseSection,
  summaryBody,
} from './summary';

/**
 * Rewrites the summary at the top of docs/benchmarks.md from the sections below it. Run by
 * tools/bench/run.mjs after the benchmarks: `--failed=a,b` and `--missing=c` say what happened
 * in that run.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const docs = join(root, 'docs/benchmarks.md');
  const list = (name: string): string[] =>
    (process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '')
      .split(',')
      .filter((s) => s.length > 0);
  const config = JSON.parse(readFileSync(join(root, 'tools/bench/benchmarks.json'), 'utf8')) as {
    benchmarks: Record<string, { entry: string; heading: string }>;
  };
  const entries: BenchmarkEntry[] = Object.entries(config.benchmarks).map(([name, b]) => ({
    name,
    heading: b.heading,
  }));
  const markdown = placeSummary(readFileSync(docs, 'utf8'));
  writeFileSync(docs, markdown);
  const summaries = entries.map((entry) => summariseSection(markdown, entry));
  await replaceDocsSection(
    docs,
    SUMMARY_HEADING,
    summaryBody(summaries, { failed: list('failed'), missing: list('missing') }, markdownTable),
  );
  process.stderr.write('bench: rewrote the summary of docs/benchmarks.md\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench summary failed: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exitCode = 1;
});
