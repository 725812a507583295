import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { Db } from '../../infra/database/transaction';
import { describeError } from '../../infra/logging/logger';
import { Clock } from '../../infra/time/clock';
import { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';

/**
 * The text of an exported checkpoint: the signed body, a blank line, then one signature line
 * `— <base64 Ed25519 public key> <base64 signature>` (modelled on C2SP signed notes).
 */
export function witnessText(checkpoint: {
  body: string;
  publicKey: Uint8Array;
  signature: Uint8Array;
}): string {
  return `${checkpoint.body}\n— ${Buffer.from(checkpoint.publicKey).toString('base64')} ${Buffer.from(checkpoint.signature).toString('base64')}\n`;
}

export function parseWitnessText(text: string): {
  body: string;
  publicKey: Uint8Array;
  signature: Uint8Array;
} {
  const split = text.lastIndexOf('\n\n— ');
  if (split < 0) throw new Error('not a Harbour checkpoint file');
  const body = text.slice(0, split + 1);
  const match = /^— ([A-Za-z0-9+/=]+) ([A-Za-z0-9+/=]+)\n?$/.exec(text.slice(split + 2));
  if (match === null) throw new Error('malformed signature line');
  return {
    body,
    publicKey: new Uint8Array(Buffer.from(match[1]!, 'base64')),
    signature: new Uint8Array(Buffer.from(match[2]!, 'base64')),
  };
}

/**
 * Exports signed checkpoints to witnesses outside the database: a folder (one file per
 * checkpoint, never overwritten) and/or a webhook. Runs after the checkpoint's transaction
 * commits; a failed export is retried at the next checkpoint.
 */
@Injectable()
export class AuditWitness implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuditWitness');

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: AuditLogQueries,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  /** Production without a witness is not ready (`/health/ready`), and says so at start. */
  onApplicationBootstrap(): void {
    if (this.config.env === 'production' && !this.enabled) {
      this.logger.error(
        'no access-log witness is configured (HARBOUR_AUDIT_WITNESS_DIR or HARBOUR_AUDIT_WITNESS_URL): checkpoints stay in the database, where a superuser can cut the newest events unseen; /health/ready answers 503 until one is set',
      );
    }
  }

  get enabled(): boolean {
    return this.config.audit.witnessDir !== null || this.config.audit.witnessUrl !== null;
  }

  /**
   * The latest checkpoint the witness folder holds for the organisation (the highest tree
   * size), as exported; null without a folder or before the first export. Throws when that file
   * cannot be parsed (the verifier then fails: it must not fall back to an older one).
   */
  latest(organisationId: string): { treeSize: number; text: string } | null {
    const { witnessDir } = this.config.audit;
    if (witnessDir === null) return null;
    let names: string[];
    try {
      names = readdirSync(join(witnessDir, organisationId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let best: { treeSize: number; name: string } | null = null;
    for (const name of names) {
      const match = /^(\d{12,})\.checkpoint$/.exec(name);
      if (match === null) continue;
      const treeSize = Number(match[1]);
      if (best === null || treeSize > best.treeSize) best = { treeSize, name };
    }
    if (best === null) return null;
    return {
      treeSize: best.treeSize,
      text: readFileSync(join(witnessDir, organisationId, best.name), 'utf8'),
    };
  }

  /** Exports the organisation's checkpoints not yet exported, oldest first; how many it exported. */
  async flush(organisationId: string): Promise<number> {
    if (!this.enabled) return 0;
    return this.db.transaction(organisationId, async (tx) => {
      const pending = await this.log.unwitnessed(tx, organisationId);
      let exported = 0;
      for (const checkpoint of pending) {
        try {
          await this.export(organisationId, checkpoint);
        } catch (error) {
          this.logger.warn(
            `checkpoint export to the witness failed; retried every tick ${JSON.stringify({ organisationId, err: describeError(error) })}`,
          );
          break;
        }
        await this.log.markWitnessed(tx, organisationId, checkpoint.treeSize, this.clock.now());
        exported++;
      }
      return exported;
    });
  }

  private async export(organisationId: string, checkpoint: AuditCheckpointEntity): Promise<void> {
    const text = witnessText(checkpoint);
    const { witnessDir, witnessUrl } = this.config.audit;
    if (witnessDir !== null) {
      const dir = join(witnessDir, organisationId);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      try {
        writeFileSync(join(dir, `${checkpoint.treeSize.padStart(12, '0')}.checkpoint`), text, {
          flag: 'wx',
          mode: 0o600,
        });
      } catch (error) {
        // Already exported earlier (a retried flush): a witness file is never overwritten.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (witnessUrl !== null) {
      const response = await fetch(witnessUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          organisationId,
          treeSize: Number(checkpoint.treeSize),
          rootHash: checkpoint.rootHash.toString('base64'),
          signedAt: checkpoint.signedAt.toISOString(),
          body: checkpoint.body,
          signature: checkpoint.signature.toString('base64'),
          publicKey: checkpoint.publicKey.toString('base64'),
          text,
        }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`witness answered ${response.status}`);
    }
  }
}
