import type { AuditVerification } from '@harbour/domain';

/**
 * What `harbour verify-audit` prints under an organisation's verdict: the log head, the
 * witness the log was checked against, and the tail no checkpoint covers yet (size and age).
 */
export function verificationDetails(result: AuditVerification): string {
  const { witness, tail } = result;
  const head =
    result.headSize === null
      ? '  log head: not authentic'
      : `  log head: ${result.headSize} events (authenticated)`;
  const witnessLine =
    witness.treeSize === null
      ? witness.source === 'none'
        ? '  witness: none read (no witness folder, or nothing exported yet): events cut together with the log head would not be seen'
        : `  witness (${witness.source}): unreadable`
      : `  witness (${witness.source}): checkpoint of ${witness.treeSize} events signed ${witness.signedAt}`;
  const tailLine =
    tail.events === 0
      ? '  uncovered tail: none (a signed checkpoint covers every event)'
      : `  uncovered tail: ${tail.events} events after the latest signed checkpoint, the oldest logged ${tail.since ?? 'at an unknown time'} (${tail.ageSeconds ?? '?'} s ago)`;
  return [
    head,
    witnessLine,
    tailLine,
    `  not yet witnessed: ${tail.unwitnessedEvents} events`,
  ].join('\n');
}
