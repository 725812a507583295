import sodiumModule from 'libsodium-wrappers';

/** The initialised libsodium-wrappers module. */
export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | null = null;

/** Awaits libsodium's initialisation once per process; later calls share it. */
export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
