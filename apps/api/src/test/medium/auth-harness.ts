import type { Server } from 'node:http';
import { decodeBase32, encodeBase32, generateTotpSecret, totpCode } from '@harbour/crypto';
import { SESSION_COOKIE, XSRF_COOKIE, XSRF_HEADER, type Role } from '@harbour/domain';
import request from 'supertest';
import { OrganisationProvisioning } from '../../core/organisations/organisation-provisioning';
import { KeyringService } from '../../core/keyring/keyring.service';
import { UsersService } from '../../app/users/users.service';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import type { TestApp } from './test-app';

export interface TestUser {
  readonly organisationId: string;
  readonly id: string;
  readonly email: string;
  readonly password: string;
  /** Base32, or null when the user has not enrolled a second factor. */
  readonly totpSecret: string | null;
  readonly roles: readonly Role[];
}

export interface TestResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { code?: string };
  readonly headers: Record<string, string | string[] | undefined>;
  readonly setCookies: string[];
  /** The body as text (CSV downloads). */
  readonly text: string;
}

/**
 * A browser stand-in: keeps the session and XSRF cookies by hand (superagent's jar will not
 * send `Secure` cookies over http), and echoes the XSRF token on unsafe requests like Angular.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly server: Server) {}

  get sessionToken(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  async send(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; xsrf?: boolean } = {},
  ): Promise<TestResponse> {
    let req = request(this.server)[method](path);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie !== '') req = req.set('Cookie', cookie);
    const xsrf = this.cookies.get(XSRF_COOKIE);
    if (method !== 'get' && options.xsrf !== false && xsrf !== undefined)
      req = req.set(XSRF_HEADER, xsrf);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    const res = body === undefined ? await req : await req.send(body as object);
    const raw = res.headers['set-cookie'] as unknown;
    const setCookies: string[] = Array.isArray(raw)
      ? (raw as string[])
      : typeof raw === 'string'
        ? [raw]
        : [];
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      body: res.body as TestResponse['body'],
      headers: res.headers,
      setCookies,
      text: res.text,
    };
  }
}

/** Organisations, users and sign-ins through the real services of a test app. */
export class AuthHarness {
  constructor(readonly harbour: TestApp) {}

  get server(): Server {
    return this.harbour.app.getHttpServer();
  }

  browser(): TestBrowser {
    return new TestBrowser(this.server);
  }

  createOrganisation(name = 'Test Outreach'): Promise<string> {
    return this.harbour.app.get(OrganisationProvisioning).create(name);
  }

  async createUser(
    organisationId: string,
    options: {
      roles?: Role[];
      email?: string;
      password?: string;
      enrolled?: boolean;
      mustChangePassword?: boolean;
    } = {},
  ): Promise<TestUser> {
    const app = this.harbour.app;
    const email = options.email ?? `user-${Math.random().toString(36).slice(2, 10)}@example.test`;
    const password = options.password ?? 'correct horse battery staple';
    const roles = options.roles ?? ['caseworker'];
    const passwordHash = await app.get(PasswordHasher).hash(password);
    const secret = options.enrolled === false ? null : generateTotpSecret();
    const keyring = app.get(KeyringService);
    const id = await app.get(Db).transaction(organisationId, async (tx) => {
      const user = await UsersService.insert(
        tx,
        organisationId,
        {
          email,
          displayName: email.split('@')[0]!,
          roles,
          passwordHash,
          mustChangePassword: options.mustChangePassword ?? false,
        },
        this.harbour.clock.now(),
      );
      if (secret !== null) {
        const encrypted = await keyring.sealStaffSecret(
          tx,
          { organisationId, userId: user.id, column: 'totp_secret' },
          secret,
        );
        await tx.manager.query(`UPDATE staff_user SET totp_secret = $2 WHERE id = $1`, [
          user.id,
          Buffer.from(encrypted),
        ]);
      }
      return user.id;
    });
    return {
      organisationId,
      id,
      email,
      password,
      totpSecret: secret === null ? null : encodeBase32(secret),
      roles,
    };
  }

  /** The TOTP code for the app's current time (optionally steps ahead). */
  code(user: TestUser, stepOffset = 0): string {
    if (user.totpSecret === null) throw new Error('user has no TOTP secret');
    const step = Math.floor(this.harbour.clock.now().getTime() / 30_000) + stepOffset;
    return totpCode(decodeBase32(user.totpSecret), step);
  }

  /** Password and TOTP: a fully signed-in browser. Moves the clock one step to get a fresh code. */
  async signIn(user: TestUser, browser = this.browser()): Promise<TestBrowser> {
    const login = await browser.send('post', '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    if (login.status !== 200)
      throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    this.harbour.clock.advance(30_000);
    const mfa = await browser.send('post', '/api/auth/mfa/verify', { code: this.code(user) });
    if (mfa.status !== 200)
      throw new Error(`mfa failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
    return browser;
  }

  /** Step-up for a signed-in browser. */
  async stepUp(browser: TestBrowser, user: TestUser): Promise<void> {
    this.harbour.clock.advance(30_000);
    const res = await browser.send('post', '/api/auth/step-up', {
      password: user.password,
      code: this.code(user),
    });
    if (res.status !== 200)
      throw new Error(`step-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
