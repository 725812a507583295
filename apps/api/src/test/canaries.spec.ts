import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryForms, namedCanaryForms, scanFilesForCanaries, walkFiles } from './canaries';

describe('canary file scans', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-canary-scan-'));
    mkdirSync(join(dir, 'base', '16384'), { recursive: true });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('canaryForms is the bytes of namedCanaryForms, each text once, UTF-16LE last', () => {
    const named = namedCanaryForms('Zoë');
    expect(canaryForms('Zoë')).toEqual(named.map((f) => f.bytes));
    expect(named.map((f) => f.form)).toEqual([
      'utf8',
      'nfd',
      'lower',
      'upper',
      'url',
      'json-escaped',
      'utf16le',
    ]);
    expect(named.at(-1)!.bytes.equals(Buffer.from('Zoë', 'utf16le'))).toBe(true);
  });

  it('walks every regular file, nested ones included', () => {
    writeFileSync(join(dir, 'PG_VERSION'), '16');
    writeFileSync(join(dir, 'base', '16384', '2619'), 'x');
    expect([...walkFiles(dir)].sort()).toEqual(
      [join(dir, 'PG_VERSION'), join(dir, 'base', '16384', '2619')].sort(),
    );
  });

  it('finds each value in any form, names the file and the form, and reads every file', () => {
    const nested = join(dir, 'base', '16384', '2619');
    writeFileSync(nested, Buffer.concat([Buffer.from([0, 1]), Buffer.from('Quokka', 'utf16le')]));
    writeFileSync(join(dir, 'log'), 'who: ZZCANARY here');
    writeFileSync(join(dir, 'clean'), 'nothing to see');
    const seen: string[] = [];
    const { files, findings } = scanFilesForCanaries(dir, ['Quokka', 'Zzcanary', 'Absent'], {
      onFile: (file) => seen.push(file),
    });
    expect(files).toBe(3);
    expect(seen.sort()).toEqual([...walkFiles(dir)].sort());
    expect(findings.sort((a, b) => a.file.localeCompare(b.file))).toEqual(
      [
        { file: nested, value: 'Quokka', form: 'utf16le' },
        { file: join(dir, 'log'), value: 'Zzcanary', form: 'upper' },
      ].sort((a, b) => a.file.localeCompare(b.file)),
    );
  });

  it('searches only forms of at least minBytes bytes', () => {
    writeFileSync(join(dir, 'page'), 'a 李 b');
    expect(scanFilesForCanaries(dir, ['李']).findings).toEqual([
      { file: join(dir, 'page'), value: '李', form: 'utf8' },
    ]);
    // '李' is 3 bytes in UTF-8 and 2 in UTF-16LE; its 6-byte \u escape is not in the file.
    expect(scanFilesForCanaries(dir, ['李'], { minBytes: 6 }).findings).toEqual([]);
  });
});
