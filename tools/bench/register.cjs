// Lets a benchmark process `require` TypeScript straight from the sources, with no build step:
// `.ts` files are compiled in memory by SWC (the compiler the Jest setup already uses), and the
// `@harbour/*` path aliases of tsconfig.base.json resolve to their source entry points.
// Used as `node --require ./tools/bench/register.cjs <file.ts>` (tools/bench/run.mjs does this).
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '../..');
const { compilerOptions } = JSON.parse(readFileSync(resolve(root, 'tsconfig.base.json'), 'utf8'));

/** `@harbour/crypto` → absolute path of `libs/crypto/src/index.ts`, and so on. */
const aliases = new Map(
  Object.entries(compilerOptions.paths ?? {}).map(([name, [target]]) => [
    name,
    resolve(root, compilerOptions.baseUrl ?? '.', target),
  ]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const alias = aliases.get(request);
  return resolveFilename.call(this, alias ?? request, ...rest);
};

// The same SWC settings as the Jest transform (decorator metadata kept).
const [, swcOptions] = require('../jest/swc.cjs');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
