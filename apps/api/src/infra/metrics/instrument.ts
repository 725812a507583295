import type { HarbourCrypto } from '@harbour/crypto';
import type { AuditWriter } from '../audit/audit-writer';
import type { Metrics } from './metrics';

/**
 * The process's cryptography with every decryption counted (`harbour_decrypt_total`). The
 * count is all it records: no key, place or value.
 */
export function countingDecrypts(crypto: HarbourCrypto, metrics: Metrics): HarbourCrypto {
  return {
    ...crypto,
    decryptField: (key, place, ciphertext) => {
      metrics.countDecrypt('field');
      return crypto.decryptField(key, place, ciphertext);
    },
    decryptText: (key, place, ciphertext) => {
      metrics.countDecrypt('text');
      return crypto.decryptText(key, place, ciphertext);
    },
    reencryptField: (from, to, place, ciphertext) => {
      metrics.countDecrypt('reencrypt');
      return crypto.reencryptField(from, to, place, ciphertext);
    },
  };
}

/**
 * The access-log writer with each append timed (`harbour_access_log_append_duration_seconds`):
 * from the call to the event written, the wait for the organisation's log head included.
 */
export function timingAppends(writer: AuditWriter, metrics: Metrics): AuditWriter {
  return {
    append: async (tx, event) => {
      const done = metrics.startAppend('in_transaction');
      try {
        await writer.append(tx, event);
      } finally {
        done();
      }
    },
    appendAndCommit: async (tx, event) => {
      const done = metrics.startAppend('in_transaction');
      try {
        await writer.appendAndCommit(tx, event);
      } finally {
        done();
      }
    },
    appendSeparately: async (event) => {
      const done = metrics.startAppend('separate');
      try {
        await writer.appendSeparately(event);
      } finally {
        done();
      }
    },
  };
}
