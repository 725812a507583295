import { SESSION_COOKIE, XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { freshTotp } from './totp';

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { code?: string };
  readonly headers: Headers;
  /** Which instance behind the round-robin proxy answered (its `X-Test-Instance`). */
  readonly instance: number;
}

/**
 * A browser stand-in over HTTP: keeps the session and XSRF cookies by hand (they are `Secure`,
 * and the proxy is plain http on loopback) and echoes the XSRF token on unsafe requests.
 */
export class ApiClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    /** The address the proxy reports in `X-Forwarded-For` for this client. */
    readonly clientAddress?: string,
  ) {}

  get signedIn(): boolean {
    return this.cookies.has(SESSION_COOKIE);
  }

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const all: Record<string, string> = { ...headers };
    if (this.clientAddress !== undefined) all['X-Test-Client'] = this.clientAddress;
    if (this.cookies.size > 0) {
      all['Cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const xsrf = this.cookies.get(XSRF_COOKIE);
    if (method !== 'GET' && xsrf !== undefined) all[XSRF_HEADER] = xsrf;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: ApiResponse['body'] = {};
    if (text !== '') {
      try {
        parsed = JSON.parse(text) as ApiResponse['body'];
      } catch {
        parsed = { text };
      }
    }
    return {
      status: res.status,
      body: parsed,
      headers: res.headers,
      instance: Number(res.headers.get('x-test-instance') ?? -1),
    };
  }

  /** Password, then a fresh TOTP code; the answers of both steps. */
  async signIn(login: {
    email: string;
    password: string;
    totpSecret: string;
  }): Promise<{ login: ApiResponse; mfa: ApiResponse; code: string }> {
    const first = await this.send('POST', '/api/auth/login', {
      email: login.email,
      password: login.password,
    });
    if (first.status !== 200) {
      throw new Error(`login failed: ${first.status} ${JSON.stringify(first.body)}`);
    }
    const code = await freshTotp(login.totpSecret);
    const mfa = await this.send('POST', '/api/auth/mfa/verify', { code });
    if (mfa.status !== 200) {
      throw new Error(`mfa failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
    }
    return { login: first, mfa, code };
  }
}
