import { inject, Injectable, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { OrganisationSettingsView, UpdateOrganisationSettingsRequest } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { catchError, map, of, switchMap, tap, throwError } from 'rxjs';
import { SessionStore } from '../../../core/auth/session.store';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { AdminApi } from './admin.api';
import { isOrganisationSettingsView } from './views';

/** What lifting the lockdown did: recorded one approval, or lifted it. */
export type LiftOutcome = 'approved' | 'lifted';

/** Organisation settings and lockdown, for the organisation page (provided by its route). */
@Injectable()
export class OrganisationStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(AdminApi);
  private readonly stepUp = inject(StepUpService);
  private readonly session = inject(SessionStore);

  private readonly current = signal<OrganisationSettingsView | null>(null);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly settings = this.current.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.api
      .settings()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (settings) => {
          this.current.set(settings);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  /** Renames with the version last loaded; `409 version_conflict` reloads and is passed on. */
  rename(name: string): Observable<void> {
    return this.update({ name }).pipe(
      map((updated) => this.session.updateOrganisation({ name: updated.name })),
    );
  }

  /** Sets the k of internal reports (2 to 11), as `rename` does. */
  setReportK(reportK: number): Observable<void> {
    return this.update({ reportK }).pipe(map(() => undefined));
  }

  /** Sets the days a referral may wait on its partner before a follow-up is added; null: off. */
  setStaleReferralDays(staleReferralDays: number | null): Observable<void> {
    return this.update({ staleReferralDays }).pipe(map(() => undefined));
  }

  /** Revokes every session, this one included: the caller leaves for the sign-in page. */
  lockdown(): Observable<void> {
    return this.stepUp
      .run((context) => this.api.lockdown(context), { required: true })
      .pipe(map(() => undefined));
  }

  /** Records this admin's approval; the second distinct admin's approval lifts the lockdown. */
  lift(): Observable<LiftOutcome> {
    return this.stepUp
      .run((context) => this.api.liftLockdown(context), { required: true })
      .pipe(
        switchMap((updated) => this.settingsFrom(updated)),
        map((updated) => {
          this.current.set(updated);
          const active = updated.lockdown.active;
          if (!active) this.session.updateOrganisation({ lockdown: false });
          return active ? 'approved' : 'lifted';
        }),
      );
  }

  /** Changes the settings with the version last loaded; `409 version_conflict` reloads. */
  private update(
    change: Omit<UpdateOrganisationSettingsRequest, 'version'>,
  ): Observable<OrganisationSettingsView> {
    const settings = this.current();
    if (settings === null) return throwError(() => new Error('settings not loaded'));
    return this.stepUp
      .run((context) => this.api.updateSettings({ version: settings.version, ...change }, context))
      .pipe(
        switchMap((updated) => this.settingsFrom(updated)),
        tap((updated) => this.current.set(updated)),
        catchError((error: unknown) => {
          if (appErrorOf(error).code === 'version_conflict') this.load();
          return throwError(() => error);
        }),
      );
  }

  /** The answer when it is the new settings (the contract leaves it open), else fetched. */
  private settingsFrom(answer: unknown): Observable<OrganisationSettingsView> {
    return isOrganisationSettingsView(answer) ? of(answer) : this.api.settings();
  }
}
