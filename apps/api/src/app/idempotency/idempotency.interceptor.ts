import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { HarbourCrypto } from '@harbour/crypto';
import { isUuid, uuidv7 } from '@harbour/domain';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { noteAudit } from '../../infra/audit/audit-notes';
import type { AuthenticatedRequest } from '../../infra/auth/access';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db } from '../../infra/database/transaction';
import { DomainError, ValidationFailedError } from '../../infra/http/domain-error';
import { KeyringService } from '../keyring/keyring.service';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

const HEADER = 'idempotency-key';
/** Printable ASCII, 1 to 100 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

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
 * key's unique index until the first commits, then replays its answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly keyring: KeyringService,
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
    const principal = req.principal!;
    const organisationId = principal.organisationId;
    const tx = this.db.current();
    const routePath = (req.route as { path?: string } | undefined)?.path ?? req.path;
    const route = `${req.method} ${routePath}`;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(req.body ?? null))
      .digest();
    const where = { organisationId, userId: principal.userId, route, key };
    // Waits for a concurrent request holding the same key, then sees its row.
    await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `${organisationId}:${principal.userId}:${route}:${key}`,
    ]);
    const existing = await tx.manager.getRepository(IdempotencyKeyEntity).findOneBy(where);
    const dataKey = await this.keyring.organisationDataKey(tx, organisationId);
    if (existing !== null) {
      if (!existing.requestHash.equals(requestHash)) throw new IdempotencyKeyReusedError();
      const body = JSON.parse(
        this.crypto
          .decryptText(
            dataKey,
            place(organisationId, existing.id),
            new Uint8Array(existing.response),
          )
          .reveal(),
      ) as unknown;
      const id = (body as { id?: unknown } | null)?.id;
      if (isUuid(id)) noteAudit({ resourceIds: [id] });
      res.status(existing.status);
      res.setHeader('Idempotency-Replayed', 'true');
      return body;
    }
    const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    const id = uuidv7();
    await tx.manager.getRepository(IdempotencyKeyEntity).insert({
      ...where,
      id,
      requestHash,
      status: res.statusCode,
      response: Buffer.from(
        this.crypto.encryptField(dataKey, place(organisationId, id), JSON.stringify(body ?? null)),
      ),
    });
    return body;
  }
}

function place(organisationId: string, id: string) {
  return { organisationId, table: 'idempotency_key', column: 'response', rowId: id };
}

/** Marks a create route as honouring `Idempotency-Key`. */
export const Idempotent = (): MethodDecorator => UseInterceptors(IdempotencyInterceptor);
