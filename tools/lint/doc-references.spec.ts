import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Every reference in the code and docs resolves inside this repository: a section of
 * docs/design.md or docs/style.md (`§5`), a target of docs/security.md (`T11`) or one of its
 * attacks (`case 24`), an ADR by number, and every relative link in Markdown.
 */
const root = resolve(__dirname, '../..');
const TEXT = /\.(ts|mts|cts|mjs|cjs|js|md|html|scss|json|ya?ml|sh)$|(^|\/)Dockerfile[^/]*$/;

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => TEXT.test(f) && !f.endsWith('package-lock.json') && existsSync(join(root, f)));
}

const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** `§n` sections of a document: its headings `## §n.` or `### §14a.` */
function sectionsOf(file: string): Set<string> {
  return new Set([...read(file).matchAll(/^#{2,4} §(\d+[a-z]?)\./gm)].map((m) => m[1]!));
}

const sections: Record<string, Set<string>> = {
  'docs/design.md': sectionsOf('docs/design.md'),
  'docs/style.md': sectionsOf('docs/style.md'),
};
const security = read('docs/security.md');
const targets = new Set([...security.matchAll(/^- \*\*T(\d+) /gm)].map((m) => m[1]!));
const attacks = new Set([...security.matchAll(/^(\d+)\. /gm)].map((m) => m[1]!));
const adrs = new Set(readdirSync(join(root, 'docs/adr')).map((f) => f.slice(0, 4)));

interface Problem {
  readonly file: string;
  readonly reference: string;
}

function problemsIn(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const bad = (reference: string): void => void problems.push({ file, reference });
  for (const m of text.matchAll(/(?<![\w/.-])(DESIGN|SECURITY|STYLE)\.md\b|\.\.\/shared\b/g)) {
    bad(m[0]);
  }
  // A document, then the §-sections, targets and attacks that follow it.
  const cited =
    /docs\/(design|style|security)\.md((?:[\s,;:(]*(?:and|or|to|–|-)?\s*(?:§\d+[a-z]?(?:\.\d+)?|T\d+|cases? \d+(?:,\s*\d+)*))*)/g;
  for (const m of text.matchAll(cited)) {
    const doc = `docs/${m[1]}.md`;
    const tail = m[2] ?? '';
    for (const s of tail.matchAll(/§(\d+[a-z]?)/g)) {
      if (!(sections[doc]?.has(s[1]!) ?? false)) bad(`${doc} §${s[1]}`);
    }
    for (const t of tail.matchAll(/\bT(\d+)\b/g)) {
      if (doc !== 'docs/security.md' || !targets.has(t[1]!)) bad(`${doc} T${t[1]}`);
    }
    for (const c of tail.matchAll(/cases? ((?:\d+(?:,\s*)?)+)/g)) {
      for (const n of c[1]!.split(/,\s*/).filter((v) => v !== '')) {
        if (doc !== 'docs/security.md' || !attacks.has(n)) bad(`${doc} case ${n}`);
      }
    }
  }
  for (const m of text.matchAll(/\bADR[ -](\d{4})\b/g)) {
    if (!adrs.has(m[1]!)) bad(m[0]);
  }
  // A path in backticks in the root docs names a file or folder that exists.
  if (/^(ARCHITECTURE|README|DEVELOPERS)\.md$/.test(file)) {
    for (const m of text.matchAll(/`((?:apps|libs|tools|docs|migrations|docker)\/[\w./-]+)`/g)) {
      const path = m[1]!.replace(/[.,]$/, '');
      if (!path.includes('*') && !path.includes('<') && !existsSync(join(root, path))) {
        bad(`path ${path}`);
      }
    }
  }
  if (file.endsWith('.md')) {
    for (const m of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      if (!existsSync(resolve(root, dirname(file), target))) bad(`link ${target}`);
    }
  }
  return problems;
}

describe('references in code and docs', () => {
  const files = trackedFiles();

  it('finds the documents and their numbered parts', () => {
    expect(sections['docs/design.md']!.size).toBeGreaterThanOrEqual(12);
    expect(sections['docs/style.md']!.size).toBeGreaterThanOrEqual(24);
    expect(targets.size).toBe(28);
    expect(attacks.size).toBeGreaterThanOrEqual(37);
    expect(files.length).toBeGreaterThan(300);
  });

  it('all resolve inside the repository', () => {
    const problems = files.flatMap((file) => problemsIn(file, read(file)));
    expect(problems).toEqual([]);
  });

  it('would catch a reference that does not resolve', () => {
    // Assembled here, so this file (which is scanned too) holds no broken reference itself.
    const doc = (name: string): string => ['docs', `${name}.md`].join('/');
    const outside = ['DESIGN', 'md'].join('.');
    const shared = ['..', 'shared'].join('/');
    const [s99, adr, link] = ['§' + '99', 'ADR ' + '9999', ['no', 'such', 'file.md'].join('/')];
    const text = [
      `see ${doc('design')} ${s99} and ${doc('security')} T11, T77 and case 99,`,
      `${outside} §3, ${shared}/x, ${adr}, [link](${link})`,
    ].join(' ');
    expect(problemsIn('probe.md', text).map((p) => p.reference)).toEqual([
      outside,
      shared,
      `${doc('design')} ${s99}`,
      `${doc('security')} T77`,
      `${doc('security')} case 99`,
      adr,
      `link ${link}`,
    ]);
  });
});
