import type { Permission, Role, SessionInfo, StaffLanguage, StaffUserView } from '@harbour/domain';
import { permissionsFor, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '@harbour/domain';

/** A full session for `roles`, with deadlines counted from `now` (default: the current time). */
export function sessionInfo(
  options: {
    readonly roles?: readonly Role[];
    readonly now?: number;
    readonly mustChangePassword?: boolean;
    readonly lockdown?: boolean;
    readonly id?: string;
    readonly displayName?: string;
    /** A step-up that counts until then (ISO); none by default. */
    readonly stepUpUntil?: string | null;
    /** The account's console language; none chosen by default. */
    readonly language?: StaffLanguage | null;
    /** The API's idle timeout (default 15 minutes). */
    readonly idleMs?: number;
  } = {},
): SessionInfo {
  const roles = options.roles ?? ['caseworker'];
  const now = options.now ?? Date.now();
  return {
    user: {
      id: options.id ?? 'u-1',
      email: 'ana@example.org',
      displayName: options.displayName ?? 'Ana',
      roles,
      language: options.language ?? null,
    },
    organisation: { id: 'o-1', name: 'Safe Steps', lockdown: options.lockdown ?? false },
    permissions: [...permissionsFor(roles)] as Permission[],
    mustChangePassword: options.mustChangePassword ?? false,
    idleExpiresAt: new Date(now + (options.idleMs ?? SESSION_IDLE_MS)).toISOString(),
    absoluteExpiresAt: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
    stepUpUntil: options.stepUpUntil ?? null,
  };
}

export function staffUser(
  overrides: Partial<StaffUserView> & { readonly email: string },
): StaffUserView {
  return {
    id: `u-${overrides.email.split('@')[0] ?? 'x'}`,
    displayName: overrides.email.split('@')[0] ?? overrides.email,
    roles: ['caseworker'],
    status: 'active',
    mfaEnrolled: true,
    mustChangePassword: false,
    lastSignInAt: '2026-01-05T09:30:00.000Z',
    createdAt: '2025-12-01T09:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The API's error body. */
export function apiError(code: string, correlationId = 'ref-1'): object {
  return { code, message: 'server text', correlationId };
}

/** A step-up that still counts for the next five minutes. */
export function freshStepUp(): string {
  return new Date(Date.now() + 300_000).toISOString();
}
