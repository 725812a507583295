import { Injectable } from '@nestjs/common';
import type { CheckpointView, ConsistencyProofView, InclusionProofView } from '@harbour/domain';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';
import { AccessLogPrunedQueries } from '../../data/audit/access-log-pruned.queries';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { PrunedTree } from './pruned-merkle';
import { prunedPrefixOf } from './pruned-prefix';

/**
 * The log's signed checkpoints and Merkle proofs for auditors and outside witnesses (RFC 6962):
 * an event's inclusion in a tree, and one tree's consistency with a later one. After a prune
 * (docs/adr/0011-pruning-the-access-log.md) they are built from the kept frontier and the
 * remaining events: for remaining events, and from trees at least as large as the prefix.
 */
@Injectable()
export class AuditProofs {
  constructor(
    private readonly log: AuditLogQueries,
    private readonly pruned: AccessLogPrunedQueries,
  ) {}

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
    const tree = await this.tree(scope, treeSize);
    if (seq < tree.prunedSize) throw new ValidationFailedError([{ path: 'seq', reason: 'pruned' }]);
    return {
      leafIndex: seq,
      treeSize,
      leafHash: base64(tree.leaf(seq)),
      rootHash: base64(tree.root(treeSize)),
      proof: tree.inclusionProof(seq, treeSize).map(base64),
    };
  }

  async consistency(scope: SignedInScope, from: number, to: number): Promise<ConsistencyProofView> {
    if (from > to) throw new ValidationFailedError([{ path: 'from', reason: 'above_to' }]);
    const tree = await this.tree(scope, to);
    if (from < tree.prunedSize)
      throw new ValidationFailedError([{ path: 'from', reason: 'pruned' }]);
    return {
      fromSize: from,
      toSize: to,
      fromRoot: base64(tree.root(from)),
      toRoot: base64(tree.root(to)),
      proof: tree.consistencyProof(from, to).map(base64),
    };
  }

  /** The tree of `treeSize` leaves: the kept frontier of a pruned prefix and the rest. */
  private async tree(scope: SignedInScope, treeSize: number): Promise<PrunedTree> {
    const prefix = prunedPrefixOf(await this.pruned.pruned(scope.tx, scope.organisationId));
    const prunedSize = prefix?.size ?? 0;
    if (treeSize < prunedSize)
      throw new ValidationFailedError([{ path: 'treeSize', reason: 'pruned' }]);
    const hashes = await this.log.leafHashes(scope.tx, prunedSize, treeSize);
    if (hashes.length < treeSize - prunedSize) throw new NotFoundError();
    return new PrunedTree(
      prunedSize,
      prefix?.frontier ?? [],
      hashes.map((h) => new Uint8Array(h)),
    );
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
