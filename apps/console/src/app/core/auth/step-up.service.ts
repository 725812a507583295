import { HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import type { Observable } from 'rxjs';
import { catchError, EMPTY, from, map, switchMap, throwError } from 'rxjs';
import { AppError } from '../http/app-error';
import { STEP_UP_HANDLED_BY_CALLER } from '../http/http-context';
import { SessionStore } from './session.store';

/** A request that may need step-up: it must send the context it is given. */
export type StepUpAction<T> = (context: HttpContext) => Observable<T>;

export interface StepUpOptions {
  /**
   * The API always asks for step-up for this action (creating an account, resets, lockdown, an
   * export, an erasure, a canary): unless the last step-up is still fresh, ask for it first
   * instead of sending a request the API will refuse. A refusal is an access event, and many
   * of them raise a "repeated refusals" flag for the auditors: the console must not cause them.
   */
  readonly required?: boolean;
}

function isStepUpRequired(error: unknown): boolean {
  return error instanceof AppError && error.code === 'step_up_required';
}

/**
 * Sensitive actions (role changes, new accounts, MFA resets, lockdown) need the password and a
 * fresh code from the last 5 minutes (docs/security.md T7). `run` asks for both first when the action
 * always needs them (`required`) and the last step-up has lapsed; otherwise it tries the action,
 * and when the API answers `403 step_up_required` (an action that needs it only sometimes, or a
 * step-up that lapsed on the way) it asks, then tries once more. A second refusal is an error
 * like any other; if the person cancels, the result completes without a value.
 */
@Injectable({ providedIn: 'root' })
export class StepUpService {
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);

  run<T>(action: StepUpAction<T>, options: StepUpOptions = {}): Observable<T> {
    const first =
      options.required === true && !this.session.stepUpFresh()
        ? this.confirm().pipe(switchMap((confirmed) => (confirmed ? this.attempt(action) : EMPTY)))
        : this.attempt(action);
    return first.pipe(
      catchError((error: unknown) => {
        if (!isStepUpRequired(error)) return throwError(() => error);
        return this.confirm().pipe(
          switchMap((confirmed) => (confirmed ? this.attempt(action) : EMPTY)),
        );
      }),
    );
  }

  /**
   * For an action known to need step-up: when the last one is not fresh (on this device's clock),
   * asks for password and code *before* sending anything, so that no request is refused on the
   * way (the access log would record each refusal as a denied attempt). When it looks fresh, or
   * once the person has stepped up, runs the action as `run` does: should the API still answer
   * `step_up_required` (the clocks disagree), it asks once more and retries once. If the person
   * cancels, nothing is sent and the result completes without a value.
   */
  runStepUpFirst<T>(action: StepUpAction<T>): Observable<T> {
    if (this.session.stepUpFresh()) return this.run(action);
    return this.confirm().pipe(switchMap((confirmed) => (confirmed ? this.run(action) : EMPTY)));
  }

  /** Opens the step-up dialog; true once the API has accepted the password and code. */
  confirm(): Observable<boolean> {
    // Loaded on first use: its form code stays out of the initial bundle.
    return from(import('./step-up-dialog')).pipe(
      switchMap(({ StepUpDialog }) =>
        this.dialog
          .open<unknown, undefined, boolean>(StepUpDialog, { disableClose: true })
          .afterClosed(),
      ),
      map((result) => result === true),
    );
  }

  private attempt<T>(action: StepUpAction<T>): Observable<T> {
    return action(new HttpContext().set(STEP_UP_HANDLED_BY_CALLER, true));
  }
}
