import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { LOCKDOWN_PROMISE_LINES } from '../data/lockdown-promises';

/**
 * The last question before lockdown, with what it does: exactly the promises the API enforces
 * (`LOCKDOWN_PROMISES`, see lockdown-promises.ts). "Cancel" has the initial focus, so that a
 * hurried double tap does not start it by accident.
 */
@Component({
  selector: 'app-lockdown-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule, MatIconModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>
      {{ 'admin.organisation.lockdown.confirmTitle' | transloco: { organisation } }}
    </h2>
    <mat-dialog-content>
      <p>{{ 'admin.organisation.lockdown.confirmIntro' | transloco }}</p>
      <ul class="consequences">
        @for (line of promises; track line.promise) {
          <li [attr.data-testid]="'lockdown-promise-' + line.promise">
            {{ line.key | transloco }}
          </li>
        }
      </ul>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-button
        type="button"
        data-testid="lockdown-cancel"
        cdkFocusInitial
        [mat-dialog-close]="false"
      >
        {{ 'common.cancel' | transloco }}
      </button>
      <button
        mat-flat-button
        type="button"
        class="app-danger"
        data-testid="lockdown-confirm"
        [mat-dialog-close]="true"
      >
        <mat-icon svgIcon="lock" aria-hidden="true" />
        {{ 'admin.organisation.lockdown.confirm' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .consequences {
      padding-inline-start: 20px;
    }
    .consequences li {
      margin-bottom: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'lockdown-dialog' },
})
export class LockdownConfirmDialog {
  protected readonly organisation = inject<string>(MAT_DIALOG_DATA);
  protected readonly promises = LOCKDOWN_PROMISE_LINES;
}
