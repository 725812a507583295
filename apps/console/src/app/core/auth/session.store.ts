import { computed, inject, Injectable, signal } from '@angular/core';
import type { Permission, Role, SessionInfo } from '@harbour/domain';
import { SESSION_IDLE_MS } from '@harbour/domain';
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
  /** The organisation is in lockdown: only administrators can sign in (at the code step). */
  | 'lockdownSignIn'
  /** A sign-in step (password → code) took too long; start again at the password. */
  | 'signInExpired';

/** When the console will consider the session over, on this device's clock. */
export interface SessionDeadline {
  readonly at: number;
  /** Which limit comes first: only the idle one can be pushed back. */
  readonly kind: 'idle' | 'absolute';
}

/** A step-up about to lapse is asked for again rather than risked (the request takes time). */
export const STEP_UP_MARGIN_MS = 15_000;

function parseTime(value: string): number | null {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/**
 * Who is signed in, held in memory only (docs/style.md §18: the session itself is the httpOnly cookie;
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
  /** How long the server keeps an unused session (15 minutes; shorter in development/tests). */
  private readonly idleSpan = signal(SESSION_IDLE_MS);
  private readonly absoluteDeadline = signal<number | null>(null);
  private readonly lastEndReason = signal<SessionEndReason | null>(null);

  readonly status = computed(() => this.state().status);
  readonly session = computed(() => this.state().session);
  readonly authenticated = computed(() => this.status() === 'authenticated');
  readonly user = computed(() => this.session()?.user ?? null);
  readonly roles = computed<readonly Role[]>(() => this.session()?.user.roles ?? []);
  readonly permissions = computed<ReadonlySet<Permission>>(
    () => new Set(this.session()?.permissions ?? []),
  );
  readonly mustChangePassword = computed(() => this.session()?.mustChangePassword === true);
  /** The organisation is in lockdown (only admins are signed in then, to lift it). */
  readonly lockdown = computed(() => this.session()?.organisation.lockdown === true);
  /** Until when the last step-up counts (ms since the epoch), or null. */
  readonly stepUpUntil = computed(() => {
    const until = this.session()?.stepUpUntil ?? null;
    return until === null ? null : parseTime(until);
  });
  /** Why the last session ended, until the next sign-in. */
  readonly endReason = this.lastEndReason.asReadonly();
  /** How long a session lasts without activity, as the API last said (at most 15 minutes). */
  readonly idleMs = this.idleSpan.asReadonly();

  /** The nearer of the idle and the absolute deadline, while signed in. */
  readonly deadline = computed<SessionDeadline | null>(() => {
    if (!this.authenticated()) return null;
    const idle = this.idleDeadline();
    const absolute = this.absoluteDeadline();
    if (idle === null) return absolute === null ? null : { at: absolute, kind: 'absolute' };
    if (absolute !== null && absolute <= idle) return { at: absolute, kind: 'absolute' };
    return { at: idle, kind: 'idle' };
  });

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
    // The API has just moved its idle deadline, so the time left is its idle timeout (shorter
    // only in development and tests); a skewed clock cannot make it absurdly short.
    const left = idle === null ? SESSION_IDLE_MS : idle - now;
    this.idleSpan.set(Math.min(Math.max(left, MIN_IDLE_SPAN_MS), SESSION_IDLE_MS));
    this.absoluteDeadline.set(parseTime(session.absoluteExpiresAt));
    this.state.set({ status: 'authenticated', session: capStepUp(session, now) });
    this.lastEndReason.set(null);
  }

  /** An API call just succeeded, which moves the server's idle deadline to now + 15 min. */
  touch(): void {
    if (!this.authenticated()) return;
    this.idleDeadline.set(this.clock.now() + this.idleSpan());
  }

  /** The API said the password must be changed first (`403 password_change_required`). */
  requirePasswordChange(): void {
    this.patchSession((session) => ({ ...session, mustChangePassword: true }));
  }

  /** The API accepted a step-up (`POST /api/auth/step-up`) valid until `until`. */
  recordStepUp(until: string): void {
    const now = this.clock.now();
    this.patchSession((session) => capStepUp({ ...session, stepUpUntil: until }, now));
  }

  /** A step-up just accepted, for the API's five minutes (when its answer is not at hand). */
  noteStepUp(): void {
    this.recordStepUp(new Date(this.clock.now() + STEP_UP_MS).toISOString());
  }

  /**
   * Whether the last step-up still counts for a while (`marginMs`), so an action that needs one
   * can go straight to the API instead of asking first.
   */
  stepUpFresh(marginMs = STEP_UP_MARGIN_MS): boolean {
    const until = this.stepUpUntil();
    return until !== null && until > this.clock.now() + marginMs;
  }

  /** The organisation was renamed, or its lockdown lifted, during this session. */
  updateOrganisation(changes: { readonly name?: string; readonly lockdown?: boolean }): void {
    this.patchSession((session) => ({
      ...session,
      organisation: { ...session.organisation, ...changes },
    }));
  }

  /** The person changed something of their own account during this session (their language). */
  updateUser(changes: { readonly language?: SessionInfo['user']['language'] }): void {
    this.patchSession((session) => ({ ...session, user: { ...session.user, ...changes } }));
  }

  /** Forgets the session. Returns false when there was none to forget. */
  clear(reason: SessionEndReason): boolean {
    const hadSession = this.status() !== 'anonymous';
    this.state.set({ status: 'anonymous', session: null });
    this.idleDeadline.set(null);
    this.absoluteDeadline.set(null);
    this.lastEndReason.set(reason);
    return hadSession;
  }

  private patchSession(update: (session: SessionInfo) => SessionInfo): void {
    const { status, session } = this.state();
    if (session !== null) this.state.set({ status, session: update(session) });
  }
}

/** The API's idle timeout is never shorter than this (`HARBOUR_SESSION_IDLE_SECONDS` ≥ 10). */
const MIN_IDLE_SPAN_MS = 10_000;

/** A step-up lasts five minutes: never longer from now, whatever the server's clock says. */
const STEP_UP_MS = 5 * 60 * 1000;

function capStepUp(session: SessionInfo, now: number): SessionInfo {
  const until = session.stepUpUntil === null ? null : parseTime(session.stepUpUntil);
  if (until === null || until <= now + STEP_UP_MS) return session;
  return { ...session, stepUpUntil: new Date(now + STEP_UP_MS).toISOString() };
}
