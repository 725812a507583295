import { computed, inject, Injectable, signal } from '@angular/core';
import type { Permission, Role, SessionInfo } from '@harbour/domain';
import { SESSION_IDLE_MS, STEP_UP_MS } from '@harbour/domain';
import { firstValueFrom } from 'rxjs';
import { Clock } from '../time/clock';
import { AuthApi } from './auth.api';

export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated';

/** Why the console last left a session; the sign-in page explains it. */
export type SessionEndReason =
  /** The person chose "Sign out". */
  | 'signedOut'
  /** Signed out here, but the API did not confirm it (no network): it ends by itself. */
  | 'signedOutOffline'
  /** The API answered `401`: the session was revoked or timed out on the server. */
  | 'expired'
  /** 15 minutes without activity. */
  | 'idle'
  /** The 8-hour limit. */
  | 'absolute'
  /** This person put the organisation into lockdown, which signs everybody out. */
  | 'lockdown'
  /** A sign-in step (password → code) took too long; start again at the password. */
  | 'signInExpired';

/** When the console will consider the session over, on this device's clock. */
export interface SessionDeadline {
  readonly at: number;
  /** Which limit comes first: only the idle one can be pushed back. */
  readonly kind: 'idle' | 'absolute';
}

/**
 * A step-up counts as fresh only while at least this much of it is left, so that a request sent
 * now still arrives inside it.
 */
export const STEP_UP_FRESH_MARGIN_MS = 30 * 1000;

function parseTime(value: string): number | null {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/**
 * Who is signed in, held in memory only (STYLE.md §18: the session itself is the httpOnly cookie;
 * nothing is written to browser storage). Loaded once at start-up, replaced after sign-in, and
 * cleared when the session ends for any reason.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(AuthApi);
  private readonly clock = inject(Clock);

  private readonly state = signal<{
    readonly status: SessionStatus;
    readonly session: SessionInfo | null;
  }>({ status: 'unknown', session: null });
  private readonly idleDeadline = signal<number | null>(null);
  private readonly absoluteDeadline = signal<number | null>(null);
  private readonly lastEndReason = signal<SessionEndReason | null>(null);
  /** When the last step-up runs out, on this device's clock. */
  private readonly stepUpDeadline = signal<number | null>(null);

  readonly status = computed(() => this.state().status);
  readonly session = computed(() => this.state().session);
  readonly authenticated = computed(() => this.status() === 'authenticated');
  readonly user = computed(() => this.session()?.user ?? null);
  readonly roles = computed<readonly Role[]>(() => this.session()?.user.roles ?? []);
  readonly permissions = computed<ReadonlySet<Permission>>(
    () => new Set(this.session()?.permissions ?? []),
  );
  readonly mustChangePassword = computed(() => this.session()?.mustChangePassword === true);
  /** Why the last session ended, until the next sign-in. */
  readonly endReason = this.lastEndReason.asReadonly();

  /** The nearer of the idle and the absolute deadline, while signed in. */
  readonly deadline = computed<SessionDeadline | null>(() => {
    if (!this.authenticated()) return null;
    const idle = this.idleDeadline();
    const absolute = this.absoluteDeadline();
    if (idle === null) return absolute === null ? null : { at: absolute, kind: 'absolute' };
    if (absolute !== null && absolute <= idle) return { at: absolute, kind: 'absolute' };
    return { at: idle, kind: 'idle' };
  });

  /**
   * Whether the last step-up (password and a fresh code) is recent enough for an action that
   * needs one, on this device's clock. Only a guess: the API is the judge, so a caller that
   * trusts it still handles `403 step_up_required` (the clocks may disagree).
   */
  stepUpFresh(): boolean {
    const deadline = this.stepUpDeadline();
    return (
      this.authenticated() &&
      deadline !== null &&
      deadline - this.clock.now() > STEP_UP_FRESH_MARGIN_MS
    );
  }

  /**
   * The API has just accepted a step-up (`POST /api/auth/step-up`). It lasts `STEP_UP_MS` from
   * the server's "now", which is this device's "now" give or take the trip: counted from here,
   * it does not depend on how far the two clocks disagree.
   */
  noteStepUp(): void {
    this.stepUpDeadline.set(this.clock.now() + STEP_UP_MS);
  }

  hasPermission(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** `GET /api/auth/session` at start-up: any failure (normally `401`) means signed out. */
  async load(): Promise<void> {
    try {
      this.signIn(await firstValueFrom(this.api.session()));
    } catch {
      this.state.set({ status: 'anonymous', session: null });
    }
  }

  /** A full session from the API (start-up, sign-in, "stay signed in"). */
  signIn(session: SessionInfo): void {
    const now = this.clock.now();
    // Never later than 15 minutes from now, whatever this device's clock says about the server's.
    const idle = parseTime(session.idleExpiresAt);
    this.idleDeadline.set(Math.min(idle ?? Infinity, now + SESSION_IDLE_MS));
    this.absoluteDeadline.set(parseTime(session.absoluteExpiresAt));
    // Never more than a whole step-up from now, whatever this device's clock says.
    const stepUp = session.stepUpUntil === null ? null : parseTime(session.stepUpUntil);
    this.stepUpDeadline.set(stepUp === null ? null : Math.min(stepUp, now + STEP_UP_MS));
    this.state.set({ status: 'authenticated', session });
    this.lastEndReason.set(null);
  }

  /** An API call just succeeded, which moves the server's idle deadline to now + 15 min. */
  touch(): void {
    if (!this.authenticated()) return;
    this.idleDeadline.set(this.clock.now() + SESSION_IDLE_MS);
  }

  /** The API said the password must be changed first (`403 password_change_required`). */
  requirePasswordChange(): void {
    this.patchSession((session) => ({ ...session, mustChangePassword: true }));
  }

  /** The organisation was renamed, or its lockdown lifted, during this session. */
  updateOrganisation(changes: { readonly name?: string; readonly lockdown?: boolean }): void {
    this.patchSession((session) => ({
      ...session,
      organisation: { ...session.organisation, ...changes },
    }));
  }

  /** Forgets the session. Returns false when there was none to forget. */
  clear(reason: SessionEndReason): boolean {
    const hadSession = this.status() !== 'anonymous';
    this.state.set({ status: 'anonymous', session: null });
    this.idleDeadline.set(null);
    this.absoluteDeadline.set(null);
    this.stepUpDeadline.set(null);
    this.lastEndReason.set(reason);
    return hadSession;
  }

  private patchSession(update: (session: SessionInfo) => SessionInfo): void {
    const { status, session } = this.state();
    if (session !== null) this.state.set({ status, session: update(session) });
  }
}
