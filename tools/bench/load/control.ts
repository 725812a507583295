import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uuidv7 } from '@harbour/domain';
import { Pool } from 'pg';

/**
 * The plaintext control of `npm run bench:load`: the caseworker mix's rows written and read by
 * hand-written SQL over a `pg` pool (as large as the API's) behind a minimal `node:http` server.
 * No session, no CSRF, no validation library, no encryption, no access log, no row-level
 * security: what the same rows cost when nothing protects them. Its tables sit beside Harbour's
 * in the benchmark database (created by `CONTROL_TABLES_SQL`, the people shared with
 * `bench_plain_person`, which holds the same names as the encrypted population).
 */

export const CONTROL_TABLES_SQL = `
  CREATE TABLE bench_load_contact (
    organisation_id uuid NOT NULL, id uuid NOT NULL, person_id uuid NOT NULL, occurred_on date NOT NULL,
    channel text NOT NULL, location_type text NOT NULL, circumstances text[] NOT NULL, notes text,
    caseworker_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, id));
  CREATE TABLE bench_load_need (
    organisation_id uuid NOT NULL, id uuid NOT NULL, person_id uuid NOT NULL, contact_id uuid NOT NULL,
    category text NOT NULL, identified_on date NOT NULL, created_by uuid NOT NULL,
    PRIMARY KEY (organisation_id, id));
  CREATE TABLE bench_load_referral (
    organisation_id uuid NOT NULL, id uuid NOT NULL, need_id uuid NOT NULL, partner_id uuid NOT NULL,
    person_id uuid NOT NULL, status text NOT NULL, version int NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, id));
  CREATE INDEX bench_load_referral_created ON bench_load_referral (organisation_id, created_at DESC);
  GRANT SELECT, INSERT ON bench_load_contact, bench_load_need, bench_load_referral TO harbour_api`;

/** The caseworker id the control's rows are written as (it has no sessions to find one from). */
const CONTROL_CASEWORKER = '00000000-0000-7000-8000-00000000c0de';

interface ContactBody {
  readonly personId: string;
  readonly occurredOn: string;
  readonly channel: string;
  readonly locationType: string;
  readonly circumstances: string[];
  readonly notes: string;
  readonly needs: { category: string }[];
}

export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
  });
  res.end(payload);
}

export async function startControlServer(
  databaseUrl: string,
  organisationId: string,
  poolSize: number,
): Promise<ControlServer> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const createContact = async (body: ContactBody): Promise<unknown> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const contactId = uuidv7();
      const { rows } = await client.query(
        `INSERT INTO bench_load_contact (organisation_id, id, person_id, occurred_on, channel,
                                         location_type, circumstances, notes, caseworker_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, created_at`,
        [
          organisationId,
          contactId,
          body.personId,
          body.occurredOn,
          body.channel,
          body.locationType,
          body.circumstances,
          body.notes,
          CONTROL_CASEWORKER,
        ],
      );
      const needs = [];
      for (const need of body.needs) {
        const id = uuidv7();
        await client.query(
          `INSERT INTO bench_load_need (organisation_id, id, person_id, contact_id, category, identified_on, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            organisationId,
            id,
            body.personId,
            contactId,
            need.category,
            body.occurredOn,
            CONTROL_CASEWORKER,
          ],
        );
        needs.push({ id, category: need.category });
      }
      await client.query('COMMIT');
      return { ...rows[0], needs };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    // The floor: an answer with no database work at all (the API's is GET /health/live).
    if (req.method === 'GET' && url === '/live') {
      send(res, 200, { status: 'ok' });
      return;
    }
    if (req.method === 'POST' && url === '/contacts') {
      send(res, 201, await createContact((await readJson(req)) as unknown as ContactBody));
      return;
    }
    if (req.method === 'POST' && url === '/lookup') {
      const { name } = (await readJson(req)) as { name: string };
      const [family = '', given = ''] = name.split(' ');
      const { rows } = await pool.query(
        `SELECT id, given_name, family_name FROM bench_plain_person
          WHERE organisation_id = $1 AND family_name = $2 AND given_name = $3`,
        [organisationId, family, given],
      );
      send(res, 200, rows);
      return;
    }
    const person = /^\/persons\/([0-9a-f-]{36})$/.exec(url);
    if (req.method === 'GET' && person !== null) {
      const { rows } = await pool.query(
        `SELECT id, given_name, family_name FROM bench_plain_person WHERE organisation_id = $1 AND id = $2`,
        [organisationId, person[1]],
      );
      send(res, rows.length === 1 ? 200 : 404, rows[0] ?? {});
      return;
    }
    if (req.method === 'GET' && url === '/referrals') {
      const { rows } = await pool.query(
        `SELECT id, need_id, partner_id, person_id, status, version, created_at, updated_at
           FROM bench_load_referral WHERE organisation_id = $1 ORDER BY created_at DESC`,
        [organisationId],
      );
      send(res, 200, rows);
      return;
    }
    send(res, 404, {});
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, {}));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      await pool.end();
    },
  };
}
