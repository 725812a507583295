import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface NgswConfig {
  readonly index: string;
  readonly navigationRequestStrategy?: string;
  readonly navigationUrls: readonly string[];
  readonly assetGroups: readonly { readonly resources: { readonly files?: readonly string[] } }[];
  readonly dataGroups?: readonly unknown[];
}

/** The service worker caches the app shell and nothing the API answers (docs/adr/0013). */
describe('ngsw-config.json', () => {
  const config = JSON.parse(
    readFileSync(join(__dirname, '..', 'ngsw-config.json'), 'utf8'),
  ) as NgswConfig;

  it('has no data groups: no API response is ever cached', () => {
    expect(config.dataGroups ?? []).toEqual([]);
    const files = config.assetGroups.flatMap((group) => group.resources.files ?? []);
    expect(files.filter((file) => /^\/(api|health)\b|^\/\*\*/.test(file))).toEqual([]);
  });

  it('never answers /api or /health navigations with the shell, and prefers the network', () => {
    for (const excluded of ['!/api/**', '!/health/**']) {
      expect(config.navigationUrls).toContain(excluded);
    }
    expect(config.navigationRequestStrategy).toBe('freshness');
  });

  it('caches the shell: the document, scripts, styles, the manifest, icons and translations', () => {
    const files = config.assetGroups.flatMap((group) => group.resources.files ?? []);
    expect(files).toEqual(
      expect.arrayContaining([
        '/index.html',
        '/*.js',
        '/*.css',
        '/manifest.webmanifest',
        '/assets/**',
      ]),
    );
  });
});
