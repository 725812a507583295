import { DestroyRef, ElementRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AbstractControl } from '@angular/forms';
import { MatDialogRef } from '@angular/material/dialog';
import type { FieldError } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { appErrorOf, type AppError } from '../http/app-error';
import { applyFieldErrors, type PathAliases } from './field-errors';
import { focusFirstInvalid } from './focus-invalid';

/**
 * A dialog that may send its own request and stays open on a refusal, so nothing typed is lost:
 * while the request is out the dialog is `busy` (a second confirm does nothing); on success it
 * closes with the value; on a refusal it shows the error, marks the controls the refusal names
 * (`paths` maps the API's field paths onto the form's), lists in `unmatched` those no control
 * shows, and moves focus to the first invalid control. Without a `submit` it closes with the
 * value at once, for the opener to send.
 *
 * Made in a field initialiser of the dialog component: it injects the dialog's ref, its host
 * element, injector and destroy ref from there.
 */
export class DialogSubmission<R> {
  readonly busy = signal(false);
  readonly error = signal<AppError | null>(null);
  /** Field errors no control of the dialog shows (named in words in the banner). */
  readonly unmatched = signal<readonly FieldError[] | null>(null);
  private readonly ref = inject<MatDialogRef<unknown, R>>(MatDialogRef);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  constructor(
    private readonly form: AbstractControl,
    private readonly paths: PathAliases = {},
  ) {}

  /** Marks every control touched and focuses the first invalid one (a form refused here). */
  refuseLocally(): void {
    this.form.markAllAsTouched();
    this.focusInvalid();
  }

  /** Moves focus to the first invalid control, once the view shows it. */
  focusInvalid(): void {
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }

  /** Closes the dialog with `value` (nothing to send). */
  close(value: R): void {
    this.ref.close(value);
  }

  /** Sends `value` through `submit` and closes with it once it succeeds (see the class). */
  send<V extends R>(value: V, submit: ((value: V) => Observable<unknown>) | undefined): void {
    if (submit === undefined) {
      this.ref.close(value);
      return;
    }
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    this.unmatched.set(null);
    submit(value)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        complete: () => {
          this.busy.set(false);
          this.ref.close(value);
        },
        error: (failure: unknown) => {
          this.busy.set(false);
          this.refused(appErrorOf(failure));
        },
      });
  }

  private refused(failure: AppError): void {
    const fields = failure.details.fields ?? [];
    this.unmatched.set(
      failure.code === 'validation_failed' ? applyFieldErrors(this.form, fields, this.paths) : null,
    );
    this.error.set(failure);
    this.focusInvalid();
  }
}
