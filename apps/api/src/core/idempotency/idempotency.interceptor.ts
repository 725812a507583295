import { createHmac } from 'node:crypto';
import {
  Inject,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { HarbourCrypto, SecretKey } from '@harbour/crypto';
import { isUuid, uuidv7 } from '@harbour/domain';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../infra/auth/access';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { DomainError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import { scopeOf, signedIn } from '../scope/request-scope';
import { IdempotencyKeysRepository } from '../../data/idempotency/idempotency-keys.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';

const HEADER = 'idempotency-key';
/**
 * An opaque token: 16 to 64 characters of base64url (a UUID is one). Anything else is refused,
 * and even a well-formed key is stored only as a keyed MAC (docs/security.md T28).
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** How long a create's answer can be replayed; an older record is ignored and deleted. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** 409 `conflict`: an `Idempotency-Key` reused with a different request. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('conflict', 'This Idempotency-Key was already used for a different request.');
  }
}

/**
 * Honours `Idempotency-Key` on a create route. Runs inside the request transaction: the key is
 * claimed with the record it creates, so a retry after a timeout (or a double tap on a phone)
 * gets the first answer back and nothing is written twice. A concurrent duplicate waits on the
 * key's advisory lock until the first commits, then replays its answer.
 *
 * What is kept (docs/security.md T28): HMAC-SHA256 of the key and of the request (path parameters and
 * body) under subkeys of the organisation's data key, never the key or an unkeyed hash that a
 * dictionary could invert; the answer encrypted under the organisation's data key; the ids of the
 * people the request or its answer names (erasing one deletes the record); an expiry 24 hours on.
 * Expired records are ignored, and every new record first purges the expired ones.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly keys: IdempotencyKeysRepository,
    private readonly persons: PersonsRepository,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers[HEADER];
    if (key === undefined || req.principal === undefined) return next.handle();
    return from(this.run(req, res, key, next));
  }

  private async run(
    req: AuthenticatedRequest,
    res: Response,
    key: string | string[],
    next: CallHandler,
  ): Promise<unknown> {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ValidationFailedError([{ path: 'Idempotency-Key', reason: 'format' }]);
    }
    // Route-level: runs inside the transaction interceptor, on the scope it opened.
    const scope = signedIn(scopeOf(req));
    const { tx, principal, organisationId } = scope;
    const routePath = (req.route as { path?: string } | undefined)?.path ?? 'unrouted';
    const route = `${req.method} ${routePath}`;
    // The MACs are keyed by the index key, which rotation of the data key leaves alone: a retry
    // across a rotation still finds its record. The response is sealed under the data key.
    const macKey = await this.keyring.indexKey(tx, organisationId);
    const keyMac = this.mac(macKey, 'idempotency.key', [principal.userId, route, key]);
    const requestMac = this.mac(macKey, 'idempotency.request', [
      route,
      JSON.stringify(req.params ?? {}),
      JSON.stringify(req.body ?? null),
    ]);
    const now = this.clock.now();
    const where = { organisationId, userId: principal.userId, route, keyMac };
    // Waits for a concurrent request holding the same key, then sees its row.
    await this.keys.lock(tx, `${organisationId}:idempotency:${keyMac.toString('hex')}`);
    const existing = await this.keys.find(tx, where);
    if (existing !== null && existing.expiresAt.getTime() > now.getTime()) {
      if (!existing.requestMac.equals(requestMac)) throw new IdempotencyKeyReusedError();
      const response = new Uint8Array(existing.response);
      const sealedUnder = await this.keyring.keyForField(tx, organisationId, response, null);
      const body = JSON.parse(
        this.crypto.decryptText(sealedUnder, place(organisationId, existing.id), response).reveal(),
      ) as unknown;
      const id = (body as { id?: unknown } | null)?.id;
      if (isUuid(id)) scope.note({ resourceIds: [id] });
      res.status(existing.status);
      res.setHeader('Idempotency-Replayed', 'true');
      return body;
    }
    const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    // Expired retry state of every organisation goes before a new record is kept.
    await this.keys.purgeExpired(tx, now);
    const id = uuidv7();
    await this.keys.insert(tx, {
      ...where,
      id,
      requestMac,
      personIds: await this.peopleNamed(tx, organisationId, [req.params, req.body, body]),
      status: res.statusCode,
      response: Buffer.from(
        this.crypto.encryptField(
          await this.keyring.organisationDataKey(tx, organisationId),
          place(organisationId, id),
          JSON.stringify(body ?? null),
        ),
      ),
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    });
    return body;
  }

  /** HMAC-SHA256 under the organisation's request-MAC subkey `label`, over length-prefixed parts. */
  private mac(macKey: SecretKey, label: string, parts: readonly string[]): Buffer {
    const hmac = createHmac('sha256', this.crypto.requestMacKey(macKey, label));
    for (const part of parts) {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      hmac.update(length).update(bytes);
    }
    return hmac.digest();
  }

  /**
   * The people of this organisation whose ids appear anywhere in the request or its answer (a
   * person created, a contact's or referral's person, a person's consent): the record concerns
   * them, so erasing any of them deletes it.
   */
  private async peopleNamed(
    tx: Tx,
    organisationId: string,
    values: readonly unknown[],
  ): Promise<string[]> {
    const ids = new Set<string>();
    const walk = (value: unknown, depth: number): void => {
      if (depth > 40 || ids.size > 10_000) return;
      if (typeof value === 'string') {
        if (isUuid(value)) ids.add(value.toLowerCase());
      } else if (Array.isArray(value)) {
        for (const item of value) walk(item, depth + 1);
      } else if (value !== null && typeof value === 'object') {
        for (const item of Object.values(value)) walk(item, depth + 1);
      }
    };
    for (const value of values) walk(value, 0);
    if (ids.size === 0) return [];
    return (await this.persons.codesOf(tx, organisationId, [...ids])).map((r) => r.id);
  }
}

function place(organisationId: string, id: string) {
  return { organisationId, table: 'idempotency_key', column: 'response', rowId: id };
}

/** Marks a create route as honouring `Idempotency-Key`. */
export const Idempotent = (): MethodDecorator => UseInterceptors(IdempotencyInterceptor);
