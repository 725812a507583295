import type {
  AccessEventView,
  AuditAnomaly,
  AuditVerification,
  CheckpointView,
  InclusionProofView,
} from '@harbour/domain';
import type { Sha256 } from '../app/features/audit/data/inclusion-proof';

export const BEN_ID = '0190e1c2-0000-7000-8000-00000000be01';
export const CHI_ID = '0190e1c2-0000-7000-8000-0000000000c1';

/** One access event; by default Ben (a caseworker) revealing a person's identity. */
export function accessEvent(
  overrides: Partial<AccessEventView> & { seq: number },
): AccessEventView {
  return {
    occurredAt: new Date(Date.UTC(2026, 0, 5, 9, 0, overrides.seq)).toISOString(),
    actorId: BEN_ID,
    actorName: 'Ben',
    actorRoles: ['caseworker'],
    action: 'auth.sign_in',
    resourceType: 'person',
    resourceIds: ['P-7K2Q9', '0190e1c2-aaaa-7000-8000-000000000001'],
    fields: ['givenName', 'familyName'],
    purpose: 'referral',
    outcome: 'success',
    requestId: `req-${overrides.seq}-0190e1c2-ffff-7000-8000`,
    ...overrides,
  };
}

/** Events `from` down to `to` (newest first), as the API pages them. */
export function eventRange(from: number, to: number): AccessEventView[] {
  const events: AccessEventView[] = [];
  for (let seq = from; seq >= to; seq--) events.push(accessEvent({ seq }));
  return events;
}

export function checkpoint(overrides: Partial<CheckpointView> = {}): CheckpointView {
  return {
    origin: 'harbour.example/o-1',
    treeSize: 1200,
    rootHash: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))),
    signedAt: '2026-01-05T09:55:00.000Z',
    body: 'harbour.example/o-1\n1200\n...',
    signature: 'c2lnbmF0dXJl',
    publicKey: 'cHVibGljIGtleQ==',
    ...overrides,
  };
}

export function verification(overrides: Partial<AuditVerification> = {}): AuditVerification {
  return {
    status: 'verified',
    checkedEvents: 1234,
    checkpointsChecked: 2,
    latestCheckpoint: checkpoint(),
    firstBadIndex: null,
    problem: null,
    headSize: 1234,
    witness: { source: 'folder', treeSize: 1200, signedAt: '2026-01-05T09:55:00.000Z' },
    tail: { events: 34, since: '2026-01-05T09:55:10.000Z', ageSeconds: 25, unwitnessedEvents: 34 },
    ...overrides,
  };
}

export function anomaly(overrides: Partial<AuditAnomaly> = {}): AuditAnomaly {
  const base = {
    kind: 'many_reveals' as const,
    actorId: BEN_ID,
    actorName: 'Ben',
    subject: null,
    count: 42,
    firstSeq: 100,
    lastSeq: 141,
    from: '2026-01-05T22:10:00.000Z',
    to: '2026-01-05T22:58:30.000Z',
    status: 'open' as const,
    reviewedAt: null,
    reviewedBy: null,
    ...overrides,
  };
  return {
    id: `${base.kind}:${base.actorId ?? 'none'}:${base.from.slice(0, 13)}:00:00.000Z`,
    ...base,
  };
}

/**
 * A stand-in for SHA-256: deterministic, 32 bytes, and sensitive to every input byte. The
 * inclusion-proof algorithm does not depend on which hash it uses, so the tests build their
 * trees with this one (jsdom has no Web Crypto).
 */
export const fakeSha256: Sha256 = (data) => {
  const out = new Uint8Array(32);
  for (let lane = 0; lane < 32; lane++) {
    let h = 0x811c9dc5 ^ lane;
    for (const byte of data) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    out[lane] = h & 0xff;
  }
  return Promise.resolve(out);
};

async function nodeHash(
  left: Uint8Array<ArrayBuffer>,
  right: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const data = new Uint8Array(1 + left.length + right.length);
  data[0] = 1;
  data.set(left, 1);
  data.set(right, 1 + left.length);
  return fakeSha256(data);
}

/** The leaf hashes of a test log of `size` events. */
export function leaves(size: number): Promise<Uint8Array<ArrayBuffer>[]> {
  return Promise.all(
    Array.from({ length: size }, (_, i) => fakeSha256(new Uint8Array([0, i & 0xff, i >> 8]))),
  );
}

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of RFC 6962 §2.1, over leaf hashes. */
export async function treeHash(
  hashes: Uint8Array<ArrayBuffer>[],
): Promise<Uint8Array<ArrayBuffer>> {
  if (hashes.length === 1) return hashes[0]!;
  const k = split(hashes.length);
  return nodeHash(await treeHash(hashes.slice(0, k)), await treeHash(hashes.slice(k)));
}

/** PATH of RFC 6962 §2.1.1: the audit path of leaf `m`. */
export async function auditPath(
  m: number,
  hashes: Uint8Array<ArrayBuffer>[],
): Promise<Uint8Array<ArrayBuffer>[]> {
  if (hashes.length <= 1) return [];
  const k = split(hashes.length);
  return m < k
    ? [...(await auditPath(m, hashes.slice(0, k))), await treeHash(hashes.slice(k))]
    : [...(await auditPath(m - k, hashes.slice(k))), await treeHash(hashes.slice(0, k))];
}

export function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** A real (fake-hash) inclusion proof of `seq` in a log of `treeSize`, and its checkpoint. */
export async function provenEvent(
  seq: number,
  treeSize: number,
): Promise<{ proof: InclusionProofView; checkpoint: CheckpointView }> {
  const hashes = await leaves(treeSize);
  const root = base64(await treeHash(hashes));
  return {
    proof: {
      leafIndex: seq,
      treeSize,
      leafHash: base64(hashes[seq]!),
      rootHash: root,
      proof: (await auditPath(seq, hashes)).map(base64),
    },
    checkpoint: checkpoint({ treeSize, rootHash: root }),
  };
}
