import { Global, Module, type DynamicModule } from '@nestjs/common';
import {
  createCrypto,
  KeyCache,
  loadMasterKey,
  MasterKeys,
  type HarbourCrypto,
  type KeyProvider,
  type MasterKeySource,
} from '@harbour/crypto';
import type { HarbourConfig } from '../config/config';
import { countingDecrypts } from '../metrics/instrument';
import { Metrics } from '../metrics/metrics';

export const HARBOUR_CRYPTO = Symbol('HARBOUR_CRYPTO');
export const KEY_PROVIDER = Symbol('KEY_PROVIDER');
export const KEY_CACHE = Symbol('KEY_CACHE');

/** Unwrapped organisation keys stay in memory this long at most. */
const KEY_CACHE_TTL_MS = 5 * 60 * 1000;

/**
 * The cryptography of the process: libsodium initialised once, the key provider holding the
 * master key (and, during a master-key rotation, the previous one, which only unwraps), and a
 * short-lived cache of unwrapped organisation keys.
 */
@Global()
@Module({})
export class CryptoModule {
  static forRoot(config: HarbourConfig): DynamicModule {
    return {
      module: CryptoModule,
      providers: [
        {
          provide: HARBOUR_CRYPTO,
          // Decryptions are counted when the process has metrics (the API; not every CLI command).
          inject: [{ token: Metrics, optional: true }],
          useFactory: async (metrics: Metrics | undefined): Promise<HarbourCrypto> => {
            const crypto = await createCrypto();
            return metrics === undefined ? crypto : countingDecrypts(crypto, metrics);
          },
        },
        {
          provide: KEY_PROVIDER,
          inject: [HARBOUR_CRYPTO],
          useFactory: (crypto: HarbourCrypto): KeyProvider => {
            const local = (source: MasterKeySource): KeyProvider => {
              const bytes = loadMasterKey(source, config.env).key.reveal();
              try {
                return crypto.localKeyProvider(bytes);
              } finally {
                bytes.fill(0);
              }
            };
            const previous = config.previousMasterKey;
            return new MasterKeys(
              local(config.masterKey),
              previous === null ? [] : [local(previous)],
            );
          },
        },
        { provide: KEY_CACHE, useFactory: () => new KeyCache({ ttlMs: KEY_CACHE_TTL_MS }) },
      ],
      exports: [HARBOUR_CRYPTO, KEY_PROVIDER, KEY_CACHE],
    };
  }
}
