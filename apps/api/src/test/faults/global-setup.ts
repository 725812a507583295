import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { TEMPLATE_ENV } from './fault-harbour';

export default async function globalSetup(): Promise<void> {
  // Jest's moduleNameMapper does not apply to global setup: resolve @harbour/* from tsconfig.
  const root = join(__dirname, '../../../../..');
  const { compilerOptions } = (await import(join(root, 'tsconfig.base.json'))) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  register({ baseUrl: root, paths: compilerOptions.paths });
  const { buildTemplate } = await import('./fault-harbour');
  const started = Date.now();
  const dir = await buildTemplate();
  process.stdout.write(`\nfaults: template data folder seeded in ${Date.now() - started} ms\n`);
  // Workers are forked after global setup and inherit the environment.
  process.env[TEMPLATE_ENV] = dir;
}
