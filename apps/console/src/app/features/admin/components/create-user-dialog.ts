import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CreateUserResponse } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
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

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [required, emailAddress, Validators.maxLength(254)]],
    displayName: ['', [required, Validators.maxLength(100)]],
    roles: roleGroup(['caseworker']),
  });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly errorKey = computed(() => {
    const code = this.error()?.code;
    return code === undefined ? null : (CREATE_ERROR_KEYS[code] ?? null);
  });

  protected submit(): void {
    if (this.busy()) return;
    this.submitted.set(true);
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { email, displayName, roles } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.store
      .create({ email: email.trim(), displayName: displayName.trim(), roles: selectedRoles(roles) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => this.ref.close(created),
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.busy.set(false);
        },
        complete: () => this.busy.set(false),
      });
  }
}
