import { ChangeDetectionStrategy, Component, inject, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { StaffUserView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { roleGroup, selectedRoles } from '../data/role-form';
import type { UserChanges } from '../data/users.store';
import { UsersStore } from '../data/users.store';
import { SessionStore } from '../../../core/auth/session.store';
import { RolePicker } from './role-picker';
import { required } from '../../../core/forms/validators';

/**
 * How editing ended: saved; saved except a role that waits for a second admin (`requested`); or
 * refused because someone else changed the account first.
 */
export type EditUserResult = 'saved' | 'requested' | 'conflict';

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/**
 * Display name and roles of an account. Changing roles needs step-up; nobody changes their own
 * roles (the API refuses it, so the role picker is disabled, with the reason).
 */
@Component({
  selector: 'app-edit-user-dialog',
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
  templateUrl: './edit-user-dialog.html',
  styleUrl: './user-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'edit-user-dialog' },
})
export class EditUserDialog {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly user = inject<StaffUserView>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<EditUserDialog, EditUserResult>>(MatDialogRef);
  private readonly store = inject(UsersStore);
  protected readonly ownAccount = this.user.id === inject(SessionStore).user()?.id;

  protected readonly form = inject(NonNullableFormBuilder).group({
    displayName: [this.user.displayName, [required, Validators.maxLength(100)]],
    roles: roleGroup(this.user.roles),
  });

  constructor() {
    if (this.ownAccount) this.form.controls.roles.disable();
  }
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);

  protected submit(): void {
    if (this.busy()) return;
    this.submitted.set(true);
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    const roles = selectedRoles(value.roles);
    const displayName = value.displayName.trim();
    // Send only what changed: unchanged roles need no step-up.
    const changes: UserChanges = {
      ...(displayName === this.user.displayName ? {} : { displayName }),
      ...(sameRoles(roles, this.user.roles) ? {} : { roles }),
    };
    if (Object.keys(changes).length === 0) {
      this.ref.close();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.store
      .update(this.user, changes)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (pending) => this.ref.close(pending === null ? 'saved' : 'requested'),
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'version_conflict') {
            this.ref.close('conflict');
            return;
          }
          this.error.set(appError);
          this.busy.set(false);
        },
        complete: () => this.busy.set(false),
      });
  }
}
