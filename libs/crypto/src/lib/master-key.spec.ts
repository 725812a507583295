import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadMasterKey, MasterKeyError } from './master-key';

describe('loadMasterKey', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-key-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte development key file with mode 0600 on first use, then reuses it', () => {
    const path = join(dir, 'nested', 'master.key');
    const first = loadMasterKey({ kind: 'file', path, createIfMissing: true }, 'development');
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.key.reveal()).toHaveLength(32);
    const second = loadMasterKey({ kind: 'file', path, createIfMissing: true }, 'development');
    expect(second.created).toBe(false);
    expect(second.key.reveal().equals(first.key.reveal())).toBe(true);
  });

  it('refuses to create a key in production', () => {
    const path = join(dir, 'master.key');
    expect(() =>
      loadMasterKey({ kind: 'file', path, createIfMissing: true }, 'production'),
    ).toThrow(MasterKeyError);
    expect(() => readFileSync(path)).toThrow();
  });

  it('refuses a key file readable by group or others', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, Buffer.alloc(32, 1).toString('base64'), { mode: 0o600 });
    chmodSync(path, 0o640);
    expect(() =>
      loadMasterKey({ kind: 'file', path, createIfMissing: false }, 'development'),
    ).toThrow(/chmod 600/);
  });

  it('refuses a key of the wrong length, without printing it', () => {
    const path = join(dir, 'master.key');
    const short = Buffer.alloc(16, 9).toString('base64');
    writeFileSync(path, short, { mode: 0o600 });
    let message = '';
    try {
      loadMasterKey({ kind: 'file', path, createIfMissing: false }, 'development');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/32 bytes/);
    expect(message).not.toContain(short);
  });

  it('reads a key from the environment and keeps it out of logs', () => {
    const base64 = Buffer.alloc(32, 3).toString('base64');
    const loaded = loadMasterKey({ kind: 'env', base64 }, 'production');
    expect(loaded.key.reveal().equals(Buffer.alloc(32, 3))).toBe(true);
    expect(inspect(loaded)).not.toContain(base64);
    expect(JSON.stringify(loaded)).not.toContain(base64);
  });

  it('fails clearly when a configured key file is missing', () => {
    expect(() =>
      loadMasterKey(
        { kind: 'file', path: join(dir, 'absent.key'), createIfMissing: false },
        'development',
      ),
    ).toThrow(/does not exist/);
  });
});
