import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CreateUserResponse, FieldError } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { roleGroup, selectedRoles } from '../data/role-form';
import { UsersStore } from '../data/users.store';
import { RolePicker } from './role-picker';
import { emailAddress, required } from '../../../core/forms/validators';

/** Error codes that have a clearer message in this dialog than the general one. */
const CREATE_ERROR_KEYS: Readonly<Partial<Record<string, string>>> = {
  email_taken: 'admin.users.create.conflict',
  validation_failed: 'admin.users.create.invalid',
};

/**
 * A new staff account: email, display name, roles. Creating needs step-up; the result (with the
 * one-time password) is handed back to the page to show once.
 */
@Component({
  selector: 'app-create-user-dialog',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    RolePicker,
    TranslocoPipe,
  ],
  templateUrl: './create-user-dialog.html',
  styleUrl: './user-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'create-user-dialog' },
})
export class CreateUserDialog {
  private readonly destroyRef = inject(DestroyRef);
  private readonly ref = inject<MatDialogRef<CreateUserDialog, CreateUserResponse>>(MatDialogRef);
  private readonly store = inject(UsersStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [required, emailAddress, Validators.maxLength(254)]],
    displayName: ['', [required, Validators.maxLength(100)]],
    roles: roleGroup(['caseworker']),
  });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  /** Field errors no control shows (the roles, a group of boxes), named in words in the banner. */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);
  protected readonly errorKey = computed(() => {
    const code = this.error()?.code;
    return code === undefined ? null : (CREATE_ERROR_KEYS[code] ?? null);
  });

  protected submit(): void {
    if (this.busy()) return;
    this.submitted.set(true);
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    const { email, displayName, roles } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.unmatched.set(null);
    this.store
      .create({ email: email.trim(), displayName: displayName.trim(), roles: selectedRoles(roles) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => this.ref.close(created),
        error: (error: unknown) => {
          this.refused(appErrorOf(error));
          this.busy.set(false);
        },
        complete: () => this.busy.set(false),
      });
  }

  /** A refusal goes on the controls it names; what none of them takes, to the banner. */
  private refused(failure: AppError): void {
    const fields = failure.details.fields ?? [];
    this.unmatched.set(
      failure.code === 'validation_failed' ? applyFieldErrors(this.form, fields) : null,
    );
    this.error.set(failure);
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }
}
