import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  CANARY_PEOPLE,
  CIPHERTEXT_MIN_BYTES,
  canaryForms,
  findCanaries,
} from '../../test/canaries';
import { DisclosureWorld } from '../../test/medium/disclosure-world';

const SEVEN_ZIP = ['/usr/bin/7z', '/usr/bin/7zz', '/usr/local/bin/7z'].find((p) => existsSync(p));
if (SEVEN_ZIP === undefined && process.env['CI'] !== undefined) {
  throw new Error(
    '7-Zip is required in CI (Debian package 7zip): the disclosure file is opened with it',
  );
}
const withSevenZip = SEVEN_ZIP === undefined ? describe.skip : describe;
if (SEVEN_ZIP === undefined) {
  // eslint-disable-next-line no-console -- tells the developer why the suite did not run
  console.warn(
    'disclosure-file.medium-spec: 7-Zip (7z) not found; install the 7zip package to run it',
  );
}

/**
 * The disclosure file as a police station opens it: 7-Zip with the passphrase. It holds exactly
 * the selected fields of the selected people within the period, and nothing else.
 */
withSevenZip('disclosure file', () => {
  const w = new DisclosureWorld();
  let dir: string;

  beforeAll(async () => {
    await w.build();
    dir = mkdtempSync(join(tmpdir(), 'harbour-disclosure-'));
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  });

  /** Approves and exports a request; the zip's bytes and the passphrase. */
  const produce = async (body: Record<string, unknown>) => {
    await w.refresh();
    const made = await w.approved(body);
    const exported = await w.step(
      'recorder',
      made.id,
      'export',
      { version: await w.version(made.id) },
      true,
    );
    expect(exported.status).toBe(200);
    const { passphrase, fileName, sizeBytes } = exported.body as {
      passphrase: string;
      fileName: string;
      sizeBytes: number;
    };
    const cookie = [...w.as.coord.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const file = await request(w.harbour.app.getHttpServer())
      .get(`/api/disclosures/${made.id}/file`)
      .set('Cookie', cookie)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    const zip = file.body as Buffer;
    expect(fileName).toBe(`disclosure-${made.id}.zip`);
    return { id: made.id, passphrase, zip, sizeBytes };
  };

  const unzip = (zip: Buffer, passphrase: string, into: string) => {
    const path = join(dir, `${into}.zip`);
    writeFileSync(path, zip);
    return spawnSync(SEVEN_ZIP!, ['x', `-p${passphrase}`, `-o${join(dir, into)}`, '-y', path], {
      encoding: 'utf8',
    });
  };

  it('opens with 7-Zip and the passphrase, holding only the selected fields of the selected people within the period', async () => {
    const { id, passphrase, zip, sizeBytes } = await produce({
      fields: ['givenName', 'contacts', 'contactNotes'],
    });
    expect(zip.length).toBe(sizeBytes);
    // Nothing readable in the archive's bytes (its content is ciphertext).
    expect(findCanaries(zip, CIPHERTEXT_MIN_BYTES)).toEqual([]);
    expect(zip.toString('latin1')).not.toContain('IN-PERIOD-NOTE');

    const run = unzip(zip, passphrase, 'good');
    expect(run.status).toBe(0);
    const out = join(dir, 'good');
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'disclosure.html', 'disclosure.json']);
    const json = JSON.parse(readFileSync(join(out, 'disclosure.json'), 'utf8')) as {
      request: Record<string, unknown>;
      people: Record<string, unknown>[];
    };
    expect(json.request).toMatchObject({
      requestId: id,
      authority: 'police',
      legalInstrument: 'Production order 2026/17',
      periodFrom: '2026-02-01',
      periodTo: '2026-03-31',
      fields: ['givenName', 'contacts', 'contactNotes'],
    });
    const [a, b] = [...w.asked].sort((x, y) => x.code.localeCompare(y.code));
    expect(json.people.map((p) => p['code'])).toEqual([a!.code, b!.code]);
    for (const person of json.people) {
      expect(Object.keys(person).sort()).toEqual(['code', 'contactNotes', 'contacts', 'identity']);
      expect(Object.keys(person['identity'] as object)).toEqual(['givenName']);
    }
    const first = json.people.find((p) => p['code'] === w.asked[0]!.code)!;
    expect(first).toEqual({
      code: w.asked[0]!.code,
      identity: { givenName: CANARY_PEOPLE[0]!.given },
      contacts: [{ date: '2026-02-10', circumstances: ['post_raid'] }],
      contactNotes: [{ date: '2026-02-10', notes: 'IN-PERIOD-NOTE-ONE' }],
    });
    const second = json.people.find((p) => p['code'] === w.asked[1]!.code)!;
    expect(second['contactNotes']).toEqual([{ date: '2026-03-09', notes: 'IN-PERIOD-NOTE-TWO' }]);

    const everything = ['README.txt', 'disclosure.html', 'disclosure.json']
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    // The selected given names are there; no family name, alias, other person, other period.
    // (Only the world's own people: a short canary such as "Lan" also matches `lang="en"`.)
    const present = (v: string) => canaryForms(v).some((f) => Buffer.from(everything).includes(f));
    const [p0, p1, p2, p3] = CANARY_PEOPLE;
    expect([p0!.given, p1!.given].filter(present)).toEqual([p0!.given, p1!.given]);
    expect(
      [
        p0!.family,
        p0!.alias,
        p1!.family,
        p1!.alias,
        p2!.given,
        p2!.family,
        p3!.given,
        p3!.family,
      ].filter(present),
    ).toEqual([]);
    for (const absent of [
      'OUT-OF-PERIOD-NOTE',
      'OTHER-PERSON-NOTE',
      w.other.code,
      w.foreign.code,
      'Central Station',
      'Counsel',
      // the contacts' need (category legal): needs were not asked for
      '"legal"',
      '>legal<',
      'category',
    ]) {
      expect(everything).not.toContain(absent);
    }
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    for (const line of [
      id,
      'police',
      'Production order 2026/17',
      'givenName, contacts, contactNotes',
    ]) {
      expect(readme).toContain(line);
    }
  });

  it('refuses a wrong passphrase', async () => {
    const { passphrase, zip } = await produce({ fields: ['categories'] });
    const wrong = passphrase.slice(0, -1) + (passphrase.endsWith('a') ? 'b' : 'a');
    const run = unzip(zip, wrong, 'wrong');
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/Wrong password|Data Error|ERROR/i);
    const right = unzip(zip, passphrase, 'right');
    expect(right.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'right', 'disclosure.json'), 'utf8')) as {
      people: Record<string, unknown>[];
    };
    for (const person of json.people) {
      expect(Object.keys(person).sort()).toEqual(['categories', 'code']);
    }
    const text = Buffer.from(JSON.stringify(json));
    for (const c of CANARY_PEOPLE.slice(0, 4)) {
      for (const v of [c.given, c.family]) {
        expect(canaryForms(v).some((f) => text.includes(f))).toBe(false);
      }
    }
  });

  it('lists what 7-Zip reports as AES-256 encrypted entries', async () => {
    const { zip } = await produce({ fields: ['needs'] });
    const path = join(dir, 'list.zip');
    writeFileSync(path, zip);
    const listing = execFileSync(SEVEN_ZIP!, ['l', '-slt', '-p-', path], { encoding: 'utf8' });
    expect(listing).toMatch(/Method = AES-256/);
    expect(listing).toMatch(/Encrypted = \+/);
  });
});
