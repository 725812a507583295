import { Agent, request } from 'node:http';
import { decodeBase32, totpCode } from '@harbour/crypto';
import { XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';

export interface FaultResponse {
  /** The HTTP status, or 0 when no answer came (connection refused or cut). */
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed JSON body, or null. */
  readonly body: Record<string, unknown> | null;
  /** The socket error when status is 0 (ECONNREFUSED, ECONNRESET, …). */
  readonly error?: string;
}

export interface DemoLogin {
  readonly organisation: string;
  readonly role: string;
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
}

/**
 * A signed-in API client over plain HTTP on loopback: keeps the session and XSRF cookies by
 * hand (they are `Secure`), echoes the XSRF token on writes, and reports a cut connection as
 * status 0 instead of throwing, so a fault test can count what was acknowledged.
 */
export class FaultClient {
  readonly cookies = new Map<string, string>();
  private readonly agent: Agent;

  constructor(
    public baseUrl: string,
    options: { maxSockets?: number } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  }

  close(): void {
    this.agent.destroy();
  }

  send(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 60_000,
  ): Promise<FaultResponse> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.cookies.size > 0) {
      allHeaders['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const xsrf = this.cookies.get(XSRF_COOKIE);
    if (method !== 'GET' && xsrf !== undefined) allHeaders[XSRF_HEADER] = xsrf;
    if (payload !== undefined) {
      allHeaders['content-type'] = 'application/json';
      allHeaders['content-length'] = String(payload.length);
    }
    return new Promise((done) => {
      const req = request(
        url,
        { method, headers: allHeaders, agent: this.agent, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) =>
            done({ status: 0, headers: {}, text: '', body: null, error: errorCode(error) }),
          );
          res.on('end', () => {
            this.keepCookies(res.headers['set-cookie']);
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown> | null = null;
            try {
              parsed = JSON.parse(text) as Record<string, unknown>;
            } catch {
              parsed = null;
            }
            done({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('ETIMEDOUT')));
      req.on('error', (error) =>
        done({ status: 0, headers: {}, text: '', body: null, error: errorCode(error) }),
      );
      req.end(payload);
    });
  }

  /** Password and TOTP sign-in of a demo login; `step` picks the TOTP time step (default now). */
  async signIn(login: DemoLogin, step = Math.floor(Date.now() / 30_000)): Promise<void> {
    const first = await this.send('POST', '/api/auth/login', {
      email: login.email,
      password: login.password,
    });
    if (first.status !== 200) throw new Error(`login answered ${first.status}: ${first.text}`);
    const code = totpCode(decodeBase32(login.totpSecret), step);
    const mfa = await this.send('POST', '/api/auth/mfa/verify', { code });
    if (mfa.status !== 200) throw new Error(`mfa answered ${mfa.status}: ${mfa.text}`);
  }

  private keepCookies(raw: string[] | undefined): void {
    for (const line of raw ?? []) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function errorCode(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
