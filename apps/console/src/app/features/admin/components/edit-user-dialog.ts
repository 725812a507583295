import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { FieldError, StaffUserView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors, type PathAliases } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
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
 * `UpdateUserDto`'s paths in the dialog: the version is the account's own; the status is
 * changed by its own action (disable / enable), not here. Both named in words if refused.
 */
export const EDIT_USER_PATHS: PathAliases = { version: null, status: null };

/**
 * Display name and roles of an account. Changing roles needs step-up; nobody changes their own
 * roles (the API refuses it, so the role picker is disabled, with the reason).
 */
@Component({
  selector: 'app-edit-user-dialog',
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
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
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
  /** Field errors no control shows (the roles, a group of boxes), named in words in the banner. */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);

  protected submit(): void {
    if (this.busy()) return;
    this.submitted.set(true);
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
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
    this.unmatched.set(null);
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
          this.unmatched.set(
            appError.code === 'validation_failed'
              ? applyFieldErrors(this.form, appError.details.fields ?? [], EDIT_USER_PATHS)
              : null,
          );
          this.error.set(appError);
          this.busy.set(false);
          focusFirstInvalid(this.host.nativeElement, this.injector);
        },
        complete: () => this.busy.set(false),
      });
  }
}
