import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { required } from '../../../core/forms/validators';

/** Limits of `RefuseDisclosureRequest.reason` (the API enforces the same). */
export const REFUSAL_MIN = 10;
export const REFUSAL_MAX = 2000;

/** Why the organisation refuses a request. Closes with the reason (trimmed), or nothing. */
@Component({
  selector: 'app-refuse-disclosure-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'disclosures.refuse.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>{{ 'disclosures.refuse.body' | transloco }}</p>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'disclosures.refuse.reason' | transloco }}</mat-label>
          <textarea
            matInput
            rows="4"
            formControlName="reason"
            [maxlength]="max"
            data-testid="disclosure-refuse-reason"
          ></textarea>
          <mat-error data-testid="disclosure-refuse-error">
            {{ 'disclosures.refuse.reasonLength' | transloco: { min: min, max: max } }}
          </mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="disclosure-refuse-confirm">
          {{ 'disclosures.refuse.confirm' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'disclosure-refuse-dialog' },
})
export class RefuseDisclosureDialog {
  private readonly ref = inject<MatDialogRef<RefuseDisclosureDialog, string>>(MatDialogRef);
  protected readonly min = REFUSAL_MIN;
  protected readonly max = REFUSAL_MAX;
  private readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [
      required,
      (control) =>
        (control.value as string).trim().length < REFUSAL_MIN ? { minlength: true } : null,
      Validators.maxLength(REFUSAL_MAX),
    ],
  });

  protected readonly form = new FormGroup({ reason: this.reason });

  protected confirm(): void {
    if (this.reason.invalid) {
      this.reason.markAsTouched();
      return;
    }
    this.ref.close(this.reason.value.trim());
  }
}
