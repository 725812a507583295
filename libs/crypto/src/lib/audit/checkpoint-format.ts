/**
 * The text of an access-log checkpoint, shared by the writer and the verifier. No hashing and no
 * signatures here: only the exact bytes that are signed, and a strict parser for them.
 *
 * Modelled on C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint). The body is four lines,
 * each ended by a line feed (0x0A), and nothing else:
 *
 * ```text
 * <origin>\n                        1–200 printable ASCII characters (0x20–0x7E), e.g.
 *                                   "harbour.example/access-log/<organisation uuid>"
 * <tree size>\n                     decimal, no sign, no leading zeros, ≤ 2^53 − 1
 * <root hash>\n                     the 32-byte RFC 6962 root, standard base64 with padding
 *                                   (RFC 4648 §4; 44 characters)
 * <timestamp>\n                     UTC, exactly YYYY-MM-DDTHH:MM:SS.sssZ (Date#toISOString)
 * ```
 *
 * The first three lines are a C2SP checkpoint body; the timestamp is its one extension line.
 * The signature is Ed25519 (RFC 8032, pure, no context) over the UTF-8 bytes of the whole body,
 * final line feed included; since the body is ASCII, those are its characters one byte each.
 * That is also the message a C2SP signed note signs, so a witness can wrap body and signature
 * in a note without re-signing. Signatures are stored as 64 raw bytes (base64 in the API).
 *
 * Every check is strict because a checkpoint must have exactly one encoding: a parser that
 * accepted `007`, lower-case `z`, unpadded or non-canonical base64, or a trailing `\r` would let
 * two different texts stand for the same checkpoint.
 */

export interface Checkpoint {
  /** Names the log (one per organisation). */
  readonly origin: string;
  /** Number of leaves covered. */
  readonly treeSize: number;
  /** MTH of the first `treeSize` leaves (32 bytes). */
  readonly rootHash: Uint8Array;
  /** When it was made, `YYYY-MM-DDTHH:MM:SS.sssZ`. */
  readonly timestamp: string;
}

export type CheckpointFormatFailure =
  | 'invalid_origin'
  | 'invalid_tree_size'
  | 'invalid_root_hash'
  | 'invalid_timestamp'
  | 'invalid_layout';

export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';

  constructor(readonly reason: CheckpointFormatFailure) {
    super(`invalid checkpoint: ${reason}`);
  }
}

export type CheckpointParseResult =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reason: CheckpointFormatFailure };

export const CHECKPOINT_ORIGIN_MAX_LENGTH = 200;
export const CHECKPOINT_HASH_BYTES = 32;

const ORIGIN = /^[\x20-\x7e]{1,200}$/;
const TREE_SIZE = /^(?:0|[1-9][0-9]{0,15})$/;
const ROOT_HASH = /^[A-Za-z0-9+/]{43}=$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
/** Longest possible body: 200 + 16 + 44 + 24 characters and four line feeds. */
const MAX_BODY_LENGTH = CHECKPOINT_ORIGIN_MAX_LENGTH + 16 + 44 + 24 + 4;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/** Standard padded base64 of 32 bytes (written here so the module needs no `Buffer`). */
function encodeHash(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += BASE64[a >> 2]!;
    out += BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : BASE64[c & 63]!;
  }
  return out;
}

/** Decodes 44 base64 characters to 32 bytes; `null` unless the text is the canonical encoding. */
function decodeHash(text: string): Uint8Array | null {
  if (!ROOT_HASH.test(text)) return null;
  const out = new Uint8Array(CHECKPOINT_HASH_BYTES);
  let bits = 0;
  let buffered = 0;
  let length = 0;
  for (let i = 0; i < 43; i++) {
    buffered = (buffered << 6) | BASE64_VALUE[text.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (buffered >> bits) & 0xff;
      buffered &= (1 << bits) - 1;
    }
  }
  // 43 characters carry 258 bits: the last two must be zero in the canonical encoding.
  if (buffered !== 0) return null;
  return out;
}

function validOrigin(origin: string): boolean {
  return ORIGIN.test(origin);
}

function validTreeSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 0;
}

function validTimestamp(timestamp: string): boolean {
  if (!TIMESTAMP.test(timestamp)) return false;
  const time = Date.parse(timestamp);
  // Rejects impossible dates and times (2025-02-30, 24:00:00) that Date.parse would roll over.
  return Number.isFinite(time) && new Date(time).toISOString() === timestamp;
}

/** The exact text to sign. Throws `CheckpointFormatError` for a field the parser would refuse. */
export function checkpointBody(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, timestamp } = checkpoint;
  if (!validOrigin(origin)) throw new CheckpointFormatError('invalid_origin');
  if (!validTreeSize(treeSize)) throw new CheckpointFormatError('invalid_tree_size');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== CHECKPOINT_HASH_BYTES) {
    throw new CheckpointFormatError('invalid_root_hash');
  }
  if (!validTimestamp(timestamp)) throw new CheckpointFormatError('invalid_timestamp');
  return `${origin}\n${treeSize}\n${encodeHash(rootHash)}\n${timestamp}\n`;
}

/** The bytes an Ed25519 checkpoint signature covers: UTF-8 of the body (ASCII, 1 byte each). */
export function checkpointBodyBytes(body: string): Uint8Array {
  return new TextEncoder().encode(body);
}

/** Parses a body strictly (see the module comment); never throws. */
export function parseCheckpointBody(text: string): CheckpointParseResult {
  const fail = (reason: CheckpointFormatFailure): CheckpointParseResult => ({ ok: false, reason });
  if (typeof text !== 'string' || text.length > MAX_BODY_LENGTH || !text.endsWith('\n')) {
    return fail('invalid_layout');
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 4) return fail('invalid_layout');
  const [origin, size, root, timestamp] = lines as [string, string, string, string];
  if (!validOrigin(origin)) return fail('invalid_origin');
  if (!TREE_SIZE.test(size)) return fail('invalid_tree_size');
  const treeSize = Number(size);
  if (!validTreeSize(treeSize)) return fail('invalid_tree_size');
  const rootHash = decodeHash(root);
  if (rootHash === null) return fail('invalid_root_hash');
  if (!validTimestamp(timestamp)) return fail('invalid_timestamp');
  return { ok: true, checkpoint: { origin, treeSize, rootHash, timestamp } };
}
