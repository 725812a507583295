import { Injectable } from '@nestjs/common';
import { consistencyProof, inclusionProof, merkleRoot } from '@harbour/crypto';
import type { CheckpointView, ConsistencyProofView, InclusionProofView } from '@harbour/domain';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';

/**
 * The log's signed checkpoints and Merkle proofs for auditors and outside witnesses (RFC 6962):
 * an event's inclusion in a tree, and one tree's consistency with a later one.
 */
@Injectable()
export class AuditProofs {
  constructor(private readonly log: AuditLogQueries) {}

  async checkpoints(scope: SignedInScope): Promise<CheckpointView[]> {
    const rows = await this.log.checkpoints(scope.tx, scope.organisationId, 'DESC', 500);
    return rows.map(checkpointView);
  }

  async latestCheckpoint(scope: SignedInScope): Promise<CheckpointView> {
    const [latest] = await this.checkpoints(scope);
    if (latest === undefined) throw new NotFoundError();
    return latest;
  }

  async inclusion(
    scope: SignedInScope,
    seq: number,
    treeSize: number,
  ): Promise<InclusionProofView> {
    if (seq >= treeSize)
      throw new ValidationFailedError([{ path: 'seq', reason: 'not_below_tree_size' }]);
    const leaves = await this.leaves(scope, treeSize);
    const root = merkleRoot(leaves, treeSize);
    return {
      leafIndex: seq,
      treeSize,
      leafHash: base64(leaves[seq]!),
      rootHash: base64(root),
      proof: inclusionProof(leaves, seq, treeSize).map(base64),
    };
  }

  async consistency(scope: SignedInScope, from: number, to: number): Promise<ConsistencyProofView> {
    if (from > to) throw new ValidationFailedError([{ path: 'from', reason: 'above_to' }]);
    const leaves = await this.leaves(scope, to);
    return {
      fromSize: from,
      toSize: to,
      fromRoot: base64(merkleRoot(leaves, from)),
      toRoot: base64(merkleRoot(leaves, to)),
      proof: consistencyProof(leaves, from, to).map(base64),
    };
  }

  private async leaves(scope: SignedInScope, treeSize: number): Promise<Uint8Array[]> {
    const hashes = await this.log.leafHashes(scope.tx, treeSize);
    if (hashes.length < treeSize) throw new NotFoundError();
    return hashes.map((h) => new Uint8Array(h));
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** A stored checkpoint as the API shows it. */
export function checkpointView(row: AuditCheckpointEntity): CheckpointView {
  return {
    origin: row.body.split('\n')[0] ?? '',
    treeSize: Number(row.treeSize),
    rootHash: row.rootHash.toString('base64'),
    signedAt: row.signedAt.toISOString(),
    body: row.body,
    signature: row.signature.toString('base64'),
    publicKey: row.publicKey.toString('base64'),
  };
}
