import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonMessage, MessageType, readContents, tableBegin } from './backup-content';
import { BackupError, type BackupErrorCode } from './backup-errors';
import { BackupFileReader, BackupFileWriter, backupKeyId } from './backup-format';
import { createHash } from 'node:crypto';

/**
 * The backup file format: what is authenticated (everything, header included), what a cut or
 * extended file does (refused), and that the key never appears in the file.
 */
describe('backup file format', () => {
  const key = new Uint8Array(randomBytes(32));
  let dir: string;
  let n = 0;
  const path = () => join(dir, `b${++n}.hbk`);
  const rows = Buffer.from('a stand-in for a COPY stream: row one, row two');

  /** A small but complete backup: one table, two data messages, the manifest (FINAL). */
  async function write(file: string): Promise<void> {
    const writer = await BackupFileWriter.create(file, key, {
      kind: 'data',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const table = { name: 'person', columns: ['id', 'sealed'] };
    const preamble = {
      kind: 'data',
      createdAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: ['CreateOrganisation1795388502610'],
      copyFormat: 'binary',
      tables: [table],
    };
    writer.push(jsonMessage(MessageType.Preamble, preamble));
    writer.push(tableBegin(0));
    writer.push(Buffer.concat([Buffer.from([MessageType.Data]), rows.subarray(0, 10)]));
    writer.push(Buffer.concat([Buffer.from([MessageType.Data]), rows.subarray(10)]));
    writer.push(Buffer.from([MessageType.TableEnd]));
    const sha256 = createHash('sha256').update(rows).digest('hex');
    writer.push(
      jsonMessage(MessageType.Manifest, {
        ...preamble,
        format: 1,
        tables: [{ ...table, rows: 2, bytes: rows.length, sha256 }],
        sequences: [],
      }),
      true,
    );
    writer.close();
  }

  async function readAll(file: string, withKey = key) {
    const reader = await BackupFileReader.open(file, withKey);
    const chunks: Uint8Array[] = [];
    try {
      const manifest = await readContents(reader, { data: (c) => void chunks.push(c) });
      return { manifest, data: Buffer.concat(chunks) };
    } finally {
      reader.close();
    }
  }

  async function failure(promise: Promise<unknown>): Promise<BackupErrorCode> {
    const error: unknown = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackupError);
    return (error as BackupError).code;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-backup-format-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, owner-only, with the kind, time and key id readable without the key', async () => {
    const file = path();
    await write(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { manifest, data } = await readAll(file);
    expect(data.equals(rows)).toBe(true);
    expect(manifest.tables[0]!.bytes).toBe(rows.length);
    expect(BackupFileReader.peek(file)).toEqual({
      kind: 'data',
      createdAt: '2026-01-01T00:00:00.000Z',
      keyId: await backupKeyId(key),
    });
  });

  it('holds neither the key nor the data in clear', async () => {
    const file = path();
    await write(file);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(key).toString('base64'))).toBe(false);
    expect(bytes.includes(rows.subarray(0, 10))).toBe(false);
    expect(bytes.includes(Buffer.from('schemaVersion'))).toBe(false);
  });

  it('refuses another key before reading anything', async () => {
    const file = path();
    await write(file);
    expect(await failure(readAll(file, new Uint8Array(randomBytes(32))))).toBe('wrong_backup_key');
  });

  it('binds the clear header: a changed kind or time fails authentication', async () => {
    const file = path();
    await write(file);
    const original = readFileSync(file);
    for (const [from, to] of [
      ['"kind":"data"', '"kind":"keyring"'],
      ['2026-01-01', '2027-01-01'],
    ] as const) {
      const changed = Buffer.from(original.toString('latin1').replace(from, to), 'latin1');
      expect(changed.equals(original)).toBe(false);
      writeFileSync(file, changed);
      expect(await failure(readAll(file))).toBe('tampered');
    }
  });

  it('fails on any flipped byte after the header, anywhere', async () => {
    const file = path();
    await write(file);
    const original = readFileSync(file);
    const headerEnd = original.indexOf('}') + 1;
    for (let i = headerEnd; i < original.length; i += 7) {
      const flipped = Buffer.from(original);
      flipped.writeUInt8(flipped.readUInt8(i) ^ 0x01, i);
      writeFileSync(file, flipped);
      expect(['tampered', 'truncated']).toContain(await failure(readAll(file)));
    }
  });

  it('detects a file cut short at any point (the FINAL tag is missing), and bytes appended', async () => {
    const file = path();
    await write(file);
    const original = readFileSync(file);
    for (let length = original.length - 1; length > 0; length -= 5) {
      writeFileSync(file, original.subarray(0, length));
      expect(['truncated', 'tampered', 'not_a_backup']).toContain(await failure(readAll(file)));
    }
    writeFileSync(file, Buffer.concat([original, Buffer.from([0])]));
    expect(await failure(readAll(file))).toBe('trailing_data');
    writeFileSync(file, original);
    await expect(readAll(file)).resolves.toBeDefined();
  });

  it('refuses a file that is not a backup, and never overwrites a file', async () => {
    const file = path();
    writeFileSync(file, 'PGDMP not ours');
    expect(await failure(readAll(file))).toBe('not_a_backup');
    await expect(
      BackupFileWriter.create(file, key, { kind: 'data', createdAt: 'now' }),
    ).rejects.toThrow(/EEXIST/);
  });
});
