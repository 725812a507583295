// Harbour's own lint rules for the API's floors (ARCHITECTURE.md "Inside the API").
//
//   composition  main.ts, cli.ts, server.ts, openapi/, test/, app/app.module.ts,
//                app/access-matrix.ts, app/seed/ (demo data puts features together)
//   feature      app/<feature>/        a concept's routes and services
//   core         core/<part>/          what features stand on: request scope, keyring,
//                                      sessions, idempotency, canary registry, shared errors
//   data         data/<aggregate>/     entities and repositories: the only place with SQL
//   infra        infra/<part>/         framework plumbing (database, http, logging, config …)
//
// An import may point down a floor, or sideways inside core, data and infra; a feature may
// import only itself among features. Test files are harnesses and are not checked.
import path from 'node:path';

const API_SRC = path.resolve(import.meta.dirname, '../../apps/api/src');
const RANK = { infra: 0, data: 1, core: 2, feature: 3, composition: 4 };
const COMPOSITION_FILES = new Set(['app/app.module.ts', 'app/access-matrix.ts']);

/** The floor of a file under apps/api/src, or null outside it. */
export function floorOf(file) {
  const rel = path.relative(API_SRC, file).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [top, second] = rel.split('/');
  if (top === 'infra' || top === 'data' || top === 'core') return { floor: top, part: second };
  if (top === 'app') {
    if (COMPOSITION_FILES.has(rel) || second === 'seed' || !rel.slice(4).includes('/')) {
      return { floor: 'composition', part: null };
    }
    return { floor: 'feature', part: second };
  }
  return { floor: 'composition', part: null };
}

const isTest = (file) => /\.(spec|medium-spec|e2e-spec)\.ts$/.test(file) || file.includes('/test/');

const floors = {
  meta: {
    type: 'problem',
    docs: { description: 'API imports point down the floors; features never import each other' },
    schema: [],
    messages: {
      upward: "A {{from}} file may not import from {{to}} ('{{spec}}'): dependencies point down.",
      feature:
        "Feature '{{fromPart}}' may not import feature '{{toPart}}' ('{{spec}}'): move what both need into core/ or data/.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = floorOf(file);
    if (from === null || isTest(file)) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = floorOf(path.resolve(path.dirname(file), spec));
      if (to === null) return;
      if (RANK[to.floor] > RANK[from.floor]) {
        context.report({
          node,
          messageId: 'upward',
          data: { from: from.floor, to: to.floor, spec },
        });
      } else if (from.floor === 'feature' && to.floor === 'feature' && from.part !== to.part) {
        context.report({
          node,
          messageId: 'feature',
          data: { fromPart: from.part, toPart: to.part, spec },
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

const SQL_TEXT = /\b(SELECT\s[\s\S]*\bFROM\b|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b)/;
const SQL_CALLS = new Set([
  'query',
  'createQueryBuilder',
  'getRepository',
  'prepared',
  'statement',
  'outsideTransaction',
]);

const noSqlOutsideData = {
  meta: {
    type: 'problem',
    docs: { description: 'SQL lives in the data-access layer (apps/api/src/data) and migrations' },
    schema: [],
    messages: {
      text: 'SQL text outside the data-access layer: put this statement in a repository under data/.',
      call: "'{{name}}' outside the data-access layer: call a repository under data/ instead.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = floorOf(file);
    if (from === null || isTest(file)) return {};
    if (from.floor === 'data' || (from.floor === 'infra' && from.part === 'database')) return {};
    const text = (node, value) => {
      if (SQL_TEXT.test(value)) context.report({ node, messageId: 'text' });
    };
    return {
      Literal: (node) => typeof node.value === 'string' && text(node, node.value),
      TemplateLiteral: (node) => text(node, node.quasis.map((q) => q.value.cooked ?? '').join('?')),
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') {
          if (SQL_CALLS.has(callee.property.name)) {
            context.report({
              node: callee.property,
              messageId: 'call',
              data: { name: callee.property.name },
            });
          }
        }
      },
    };
  },
};

export default {
  meta: { name: 'harbour' },
  rules: { 'api-floors': floors, 'no-sql-outside-data': noSqlOutsideData },
};
