import { spawnSync } from 'node:child_process';
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  aesCtrLittleEndian,
  DISCLOSURE_PASSPHRASE_BITS,
  disclosurePassphrase,
  encryptedZip,
} from './encrypted-zip';

/**
 * The encrypted ZIP is checked against 7-Zip itself (Debian package `7zip`; `7z` or `7zz`): the
 * files a police station receives must open in the tools it has, and only with the passphrase.
 */
const SEVEN_ZIP = ['/usr/bin/7z', '/usr/bin/7zz', '/usr/local/bin/7z', '/usr/local/bin/7zz'].find(
  (path) => existsSync(path),
);
if (!SEVEN_ZIP && process.env['CI']) {
  throw new Error('7-Zip is required in CI to check the encrypted ZIP (apt-get install 7zip)');
}
if (!SEVEN_ZIP) {
  console.warn('encrypted-zip.spec: 7-Zip not found (apt-get install 7zip); 7-Zip tests skipped');
}
const withSevenZip = SEVEN_ZIP ? describe : describe.skip;

const utf8 = (text: string) => new TextEncoder().encode(text);

function sevenZip(args: string[]) {
  const run = spawnSync(SEVEN_ZIP!, args, { encoding: 'utf8', input: '' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'harbour-zip-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeZip(bytes: Uint8Array): string {
  const path = join(dir, 'disclosure.zip');
  writeFileSync(path, bytes);
  return path;
}

withSevenZip('encryptedZip, opened by 7-Zip', () => {
  const passphrase = 'Q7M2-9XZT-4RKD-HW3N-P8VB-6JCE';
  const big = randomBytes(1024 * 1024);
  const entries = [
    { name: 'README.txt', content: utf8('Disclosure 2026-12-05\n'.repeat(40)) },
    { name: 'people/HB-7Q2M.json', content: utf8('{"givenName":"Somchai","phone":"+66"}') },
    { name: 'ข้อมูล/名前-이름-tên.txt', content: utf8('สวัสดี 你好 안녕 xin chào') },
    { name: 'empty.txt', content: new Uint8Array(0) },
    { name: 'random.bin', content: big },
  ];

  it('extracts every entry, byte for byte, with the passphrase', () => {
    const zip = writeZip(encryptedZip(entries, passphrase));
    const out = join(dir, 'out');
    const run = sevenZip(['x', `-p${passphrase}`, `-o${out}`, '-y', zip]);
    expect(run.out).toContain('Everything is Ok');
    expect(run.status).toBe(0);
    for (const entry of entries) {
      expect(
        Buffer.from(readFileSync(join(out, entry.name))).equals(Buffer.from(entry.content)),
      ).toBe(true);
    }
    expect(readdirSync(out).sort()).toEqual(
      ['README.txt', 'empty.txt', 'people', 'random.bin', 'ข้อมูล'].sort(),
    );
  });

  it('refuses a wrong passphrase and writes no plaintext', () => {
    const zip = writeZip(encryptedZip(entries.slice(0, 3), passphrase));
    const out = join(dir, 'out');
    const run = sevenZip(['x', '-pQ7M2-9XZT-4RKD-HW3N-P8VB-6JCF', `-o${out}`, '-y', zip]);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/Wrong password/i);
    const leaked = existsSync(join(out, 'people', 'HB-7Q2M.json'))
      ? readFileSync(join(out, 'people', 'HB-7Q2M.json'), 'utf8')
      : '';
    expect(leaked).not.toContain('Somchai');
  });

  it('rejects a tampered file: the HMAC covers the ciphertext', () => {
    // Random bytes are stored, not deflated: only the MAC can notice the flipped bit.
    const bytes = encryptedZip([{ name: 'a.txt', content: randomBytes(5000) }], passphrase);
    // The local header is 30 bytes + name (5) + extra (11); then salt (16) and verifier (2).
    const at = 30 + 5 + 11 + 18 + 3;
    bytes[at] = bytes[at]! ^ 0x01;
    const run = sevenZip(['t', `-p${passphrase}`, writeZip(bytes)]);
    expect(run.status).not.toBe(0);
    expect(run.out).not.toContain('Everything is Ok');
  });

  it('is listed by 7-Zip as AES-256 encrypted (deflated or stored), with UTF-8 names', () => {
    const zip = writeZip(encryptedZip(entries, passphrase));
    const run = sevenZip(['l', '-slt', zip]);
    expect(run.status).toBe(0);
    // The archive's own block comes first, then one block per entry after the dashed line.
    const listing = run.out.slice(run.out.indexOf('\n----------\n'));
    const blocks = listing.split(/\n(?=Path = )/).filter((b) => b.startsWith('Path = '));
    expect(blocks).toHaveLength(entries.length);
    for (const block of blocks) {
      expect(block).toMatch(/^Encrypted = \+$/m);
      expect(block).toMatch(/^Method = AES-256 (Deflate|Store)$/m);
    }
    const byName = (name: string) => blocks.find((b) => b.startsWith(`Path = ${name}\n`));
    expect(byName('README.txt')).toMatch(/^Method = AES-256 Deflate$/m);
    expect(byName('random.bin')).toMatch(/^Method = AES-256 Store$/m);
    expect(byName('ข้อมูล/名前-이름-tên.txt')).toBeDefined();
  });
});

describe('encryptedZip format (without 7-Zip)', () => {
  it('writes AE-2 headers: method 99, encrypted + UTF-8 flags, CRC 0, the 0x9901 field', () => {
    const zip = Buffer.from(
      encryptedZip([{ name: 'a.txt', content: utf8('hello '.repeat(50)) }], 'passphrase-1'),
    );
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(6)).toBe(0x0801);
    expect(zip.readUInt16LE(8)).toBe(99);
    expect(zip.readUInt32LE(14)).toBe(0);
    expect(zip.readUInt32LE(22)).toBe(300);
    const extra = zip.subarray(35, 46);
    expect(extra.readUInt16LE(0)).toBe(0x9901);
    expect(extra.readUInt16LE(2)).toBe(7);
    expect(extra.readUInt16LE(4)).toBe(2);
    expect(extra.subarray(6, 8).toString('ascii')).toBe('AE');
    expect(extra.readUInt8(8)).toBe(3);
    expect(extra.readUInt16LE(9)).toBe(8);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  });

  it('decrypts with an independent reading of the specification, and never holds the plaintext', () => {
    const secret = 'Somchai Jaidee, +66 81 234 5678 '.repeat(20);
    const zip = Buffer.from(
      encryptedZip([{ name: 'p.txt', content: utf8(secret) }], 'correct horse'),
    );
    expect(zip.includes(Buffer.from('Somchai'))).toBe(false);
    const size = zip.readUInt32LE(18);
    const data = zip.subarray(30 + 5 + 11, 30 + 5 + 11 + size);
    const salt = data.subarray(0, 16);
    const keys = pbkdf2Sync('correct horse', salt, 1000, 66, 'sha1');
    expect(data.subarray(16, 18).equals(keys.subarray(64))).toBe(true);
    const ciphertext = data.subarray(18, size - 10);
    const mac = createHmac('sha1', keys.subarray(32, 64)).update(ciphertext).digest();
    expect(data.subarray(size - 10).equals(mac.subarray(0, 10))).toBe(true);
    // Counter blocks 1, 2, 3 … little-endian, encrypted one by one.
    const ecb = createCipheriv('aes-256-ecb', keys.subarray(0, 32), null).setAutoPadding(false);
    const plain = Buffer.alloc(ciphertext.length);
    let stream = Buffer.alloc(16);
    for (let i = 0; i < ciphertext.length; i++) {
      if (i % 16 === 0) {
        const block = Buffer.alloc(16);
        block.writeUInt32LE(i / 16 + 1, 0);
        stream = ecb.update(block);
      }
      plain[i] = ciphertext[i]! ^ stream[i % 16]!;
    }
    expect(inflateRawSync(plain).toString('utf8')).toBe(secret);
  });

  it('carries the counter across bytes (little-endian), unlike aes-256-ctr', () => {
    const key = randomBytes(32);
    const data = Buffer.alloc(16 * 300); // counters 1 … 300 cross the first byte
    const ours = aesCtrLittleEndian(key, data);
    const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    const block = Buffer.alloc(16);
    block.writeUInt16LE(256, 0);
    expect(ours.subarray(255 * 16, 256 * 16).equals(ecb.update(block))).toBe(true);
    const bigEndian = createCipheriv('aes-256-ctr', key, Buffer.from([1, ...Array(15).fill(0)]));
    expect(bigEndian.update(data).subarray(16, 32).equals(ours.subarray(16, 32))).toBe(false);
  });

  it('uses a fresh salt per entry and per archive', () => {
    const a = Buffer.from(encryptedZip([{ name: 'a', content: utf8('same') }], 'passphrase-1'));
    const b = Buffer.from(encryptedZip([{ name: 'a', content: utf8('same') }], 'passphrase-1'));
    expect(a.subarray(40, 56).equals(b.subarray(40, 56))).toBe(false);
  });

  it('refuses unsafe names, duplicates and weak or non-ASCII passphrases', () => {
    const ok = utf8('x');
    for (const name of ['', '/etc/passwd', '../x', 'a/../b', 'a\\b', 'a//b', 'a\nb']) {
      expect(() => encryptedZip([{ name, content: ok }], 'passphrase-1')).toThrow(RangeError);
    }
    expect(() =>
      encryptedZip(
        [
          { name: 'a', content: ok },
          { name: 'a', content: ok },
        ],
        'passphrase-1',
      ),
    ).toThrow(RangeError);
    expect(() => encryptedZip([], 'short')).toThrow(RangeError);
    expect(() => encryptedZip([], 'pässphrase-long')).toThrow(RangeError);
  });
});

describe('disclosurePassphrase', () => {
  it('is 24 unambiguous base32 characters in six groups: at least 120 bits', () => {
    expect(DISCLOSURE_PASSPHRASE_BITS).toBeGreaterThanOrEqual(120);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = disclosurePassphrase();
      expect(p).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it('spreads over the whole alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      for (const c of disclosurePassphrase().replace(/-/g, ''))
        counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
  });
});
