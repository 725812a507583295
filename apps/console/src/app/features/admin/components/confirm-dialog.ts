import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';

/** Translation keys (and their parameters) of a yes/no question about an action. */
export interface ConfirmDialogData {
  readonly title: string;
  readonly body: string;
  readonly confirm: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Red confirm button, for actions that take something away. */
  readonly danger?: boolean;
}

/** "Are you sure?" with the consequences spelled out; closes with `true` to go ahead. */
@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ data.title | transloco: data.params }}</h2>
    <mat-dialog-content>
      <p>{{ data.body | transloco: data.params }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-button
        type="button"
        data-testid="confirm-dialog-cancel"
        [mat-dialog-close]="false"
      >
        {{ 'common.cancel' | transloco }}
      </button>
      <button
        mat-flat-button
        type="button"
        data-testid="confirm-dialog-confirm"
        [class.app-danger]="data.danger"
        [mat-dialog-close]="true"
      >
        {{ data.confirm | transloco: data.params }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'confirm-dialog' },
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}
