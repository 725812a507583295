import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The console's index.html paints a boot shell before any script runs, within the console's CSP
 * (apps/api/src/infra/http/security-headers.ts): styles only in a nonce-bearing <style>, no
 * inline script, no style attributes (which a nonce cannot allow).
 */
const html = readFileSync(resolve(__dirname, '../../apps/console/src/index.html'), 'utf8');
const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');

describe('console index.html boot shell', () => {
  it('has its styles only in <style> elements carrying the nonce placeholder', () => {
    const styles = [...withoutComments.matchAll(/<style\b([^>]*)>/g)].map((m) => m[1]!.trim());
    expect(styles).toEqual(['nonce="__HARBOUR_CSP_NONCE__"']);
    expect(withoutComments).not.toMatch(/\sstyle=/);
  });

  it('has no inline script and no event handler attributes', () => {
    expect(withoutComments).not.toMatch(/<script\b(?![^>]*\bsrc=)/);
    expect(withoutComments).not.toMatch(/\son[a-z]+=/);
  });

  it('puts the shell inside <app-root>, which Angular replaces when it boots', () => {
    const root = /<app-root\b[^>]*>([\s\S]*?)<\/app-root>/.exec(withoutComments)?.[1] ?? '';
    expect(root).toContain('Harbour');
    expect(root).toContain('role="status"');
    for (const lang of ['en', 'th', 'vi', 'zh-Hans', 'ko'])
      expect(root).toContain(`lang="${lang}"`);
  });

  it('gives the shell light and dark colours', () => {
    expect(withoutComments).toMatch(/@media \(prefers-color-scheme: dark\)/);
  });
});
