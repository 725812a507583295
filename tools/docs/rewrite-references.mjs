// Points references to the design, security and style documents at their place in this
// repository (docs/design.md, docs/security.md, docs/style.md). Idempotent: run it again after
// a merge that brings old-style references. `node tools/docs/rewrite-references.mjs`
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const TEXT = /\.(ts|mts|cts|mjs|cjs|js|md|html|scss|css|json|ya?ml|sh)$|(^|\/)Dockerfile[^/]*$/;
const RULES = [
  [/(?<![\w/.-])DESIGN\.md\b/g, 'docs/design.md'],
  [/(?<![\w/.-])SECURITY\.md\b/g, 'docs/security.md'],
  [/(?<![\w/.-])STYLE\.md\b/g, 'docs/style.md'],
  [/(?<![\w/.-])DESIGN (?=§)/g, 'docs/design.md '],
];

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => TEXT.test(f) && !f.endsWith('package-lock.json') && existsSync(resolve(root, f)))
  // The reference test's probes must stay broken.
  .filter((f) => f !== 'tools/lint/doc-references.spec.ts');

let changed = 0;
for (const file of files) {
  const path = resolve(root, file);
  const before = readFileSync(path, 'utf8');
  const after = RULES.reduce((text, [pattern, to]) => text.replace(pattern, to), before);
  if (after !== before) {
    writeFileSync(path, after);
    changed++;
  }
}
console.log(`references rewritten in ${changed} files`);
