import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { StaffUserView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { CopyButton } from '../../../core/ui/copy-button';

/** A one-time password for a new account, or after a password reset. */
export interface OneTimePasswordData {
  readonly user: StaffUserView;
  readonly oneTimePassword: string;
  readonly reason: 'created' | 'reset';
}

/**
 * A one-time password, shown this once. It closes only with "Done", so that a
 * stray tap outside does not lose it; nothing keeps it after that.
 */
@Component({
  selector: 'app-one-time-password-dialog',
  imports: [CopyButton, MatButtonModule, MatDialogModule, TranslocoPipe],
  templateUrl: './one-time-password-dialog.html',
  styleUrl: './one-time-password-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'one-time-password-dialog' },
})
export class OneTimePasswordDialog {
  protected readonly data = inject<OneTimePasswordData>(MAT_DIALOG_DATA);
  protected readonly titleKey =
    this.data.reason === 'created'
      ? 'admin.users.oneTimePassword.title'
      : 'admin.users.oneTimePassword.resetTitle';
}
