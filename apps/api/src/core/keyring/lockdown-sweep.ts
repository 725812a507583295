import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Db } from '../../infra/database/transaction';
import { describeError } from '../../infra/logging/logger';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { LOCKDOWN_SWEEP_INTERVAL } from './key-ids';
import { KeyringService } from './keyring.service';

/**
 * Every instance looks, every `LOCKDOWN_SWEEP_MS`, for organisations whose keys it holds and
 * that went into lockdown through another instance, and drops (zeroes) their keys
 * (docs/security.md T25). Tests set the interval to 0 and run it by hand.
 */
@Injectable()
export class LockdownSweep implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Keyring');
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly keyring: KeyringService,
    private readonly keys: OrganisationKeysRepository,
    private readonly db: Db,
    @Inject(LOCKDOWN_SWEEP_INTERVAL) private readonly everyMs: number,
  ) {}

  onModuleInit(): void {
    if (this.everyMs <= 0) return;
    this.#timer = setInterval(() => {
      this.run().catch((error: unknown) =>
        this.logger.warn({ err: describeError(error) }, 'lockdown sweep failed'),
      );
    }, this.everyMs);
    this.#timer.unref();
  }

  /** One sweep; returns the organisations whose keys were dropped. */
  async run(): Promise<string[]> {
    const dropped: string[] = [];
    for (const organisationId of this.keyring.organisationsHeld()) {
      const state = await this.db.transaction(organisationId, (tx) =>
        this.keys.transactionState(tx, organisationId),
      );
      if (state !== undefined && state.lockdownAt !== null) {
        this.keyring.forget(organisationId);
        dropped.push(organisationId);
      }
    }
    return dropped;
  }

  onModuleDestroy(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
  }
}
