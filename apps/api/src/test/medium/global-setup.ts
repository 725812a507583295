import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { CLUSTER_ENV } from './cluster-env';

export default async function globalSetup(): Promise<void> {
  // Jest's moduleNameMapper does not apply to global setup: resolve @harbour/* from tsconfig.
  const root = join(__dirname, '../../../../..');
  const { compilerOptions } = (await import(join(root, 'tsconfig.base.json'))) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  register({ baseUrl: root, paths: compilerOptions.paths });
  const { startTestCluster } = await import('./cluster');
  const { server, info } = await startTestCluster();
  (globalThis as { __harbourTestServer?: unknown }).__harbourTestServer = server;
  // Workers are forked after global setup and inherit the environment.
  process.env[CLUSTER_ENV] = JSON.stringify(info);
}
