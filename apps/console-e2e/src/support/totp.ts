import { decodeBase32, totpCode } from '@harbour/crypto';

const STEP_MS = 30_000;
const lastStepBySecret = new Map<string, number>();

/**
 * A TOTP code for `secret` (base32) that the server has not seen yet: each code is accepted
 * once, so a second sign-in within the same 30 s step waits for the next step.
 */
export async function freshTotp(secret: string): Promise<string> {
  const last = lastStepBySecret.get(secret) ?? -1;
  let step = Math.floor(Date.now() / STEP_MS);
  if (step <= last) {
    await new Promise((resolve) => setTimeout(resolve, (last + 1) * STEP_MS - Date.now() + 200));
    step = Math.floor(Date.now() / STEP_MS);
  }
  lastStepBySecret.set(secret, step);
  return totpCode(decodeBase32(secret), step);
}
