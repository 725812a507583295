import type { Checkpoint } from '@harbour/crypto';
import type { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { checkpointMatches, type CheckpointKeys } from './checkpoint-check';
import { prunedMacInput, type PrunedPrefix } from './pruned-prefix';
import type { StreamingRoot, VerifierHash } from './verifier-hash';

/**
 * The verifier's check of a pruned prefix (docs/adr/0011-pruning-the-access-log.md), before any
 * remaining event is read: the kept row's MAC under the audit key (libsodium HMAC), a frontier
 * of exactly one node per set bit of its size, whose fold is the root of the signed checkpoint
 * at that size (signature checked); and a witnessed checkpoint at or below that size. Seeds
 * `accumulator` with the frontier. Answers the problem, or null.
 */
export function checkPrunedPrefix(
  prefix: PrunedPrefix,
  organisationId: string,
  hash: VerifierHash,
  accumulator: StreamingRoot,
  keys: CheckpointKeys,
  context: {
    readonly checkpoints: readonly AuditCheckpointEntity[];
    readonly witness: Checkpoint | null;
  },
): string | null {
  if (
    prefix.mac === null ||
    !hash.macMessage(prunedMacInput(organisationId, prefix)).equals(prefix.mac)
  ) {
    return 'the pruned prefix’s record is not authentic (written outside Harbour)';
  }
  try {
    accumulator.seed(prefix.size, prefix.frontier);
  } catch {
    return `the pruned prefix’s frontier does not match its size ${prefix.size}`;
  }
  const root = accumulator.root();
  const at = context.checkpoints.find((cp) => Number(cp.treeSize) === prefix.size);
  if (at === undefined || !checkpointMatches(at, prefix.size, root, keys)) {
    return `the pruned prefix does not match the signed checkpoint of size ${prefix.size}`;
  }
  const witness = context.witness;
  if (witness !== null && witness.treeSize <= prefix.size) {
    // A witness older than the prefix: the leaves that would prove the log extends it are gone;
    // the stored checkpoint of its size must carry the same signed root (ADR 0011).
    const same =
      witness.treeSize === prefix.size
        ? root
        : context.checkpoints.find((cp) => Number(cp.treeSize) === witness.treeSize)?.rootHash;
    const stored = context.checkpoints.find((cp) => Number(cp.treeSize) === witness.treeSize);
    if (
      same === undefined ||
      stored === undefined ||
      !checkpointMatches(stored, witness.treeSize, same, keys) ||
      !same.equals(witness.rootHash)
    ) {
      return 'the log does not extend the witnessed checkpoint';
    }
  }
  return null;
}
