import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  MAX_AMENDMENT_REASON_LENGTH,
  MAX_NOTES_LENGTH,
  MIN_AMENDMENT_REASON_LENGTH,
  type AmendContactRequest,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';

export interface AmendContactData {
  /** The note as read on the page (null: none), or undefined when it was not read there. */
  readonly current: string | null | undefined;
}

/** A reason of at least the minimum length once trimmed (spaces alone are no reason). */
function reasonLongEnough(control: { value: string }) {
  return control.value.trim().length >= MIN_AMENDMENT_REASON_LENGTH
    ? null
    : { reasonTooShort: true };
}

/**
 * "Correct this contact": the corrected notes (starting from the note if it was read on the
 * page) or their withdrawal, and a reason. The contact itself stays as it was; the correction
 * is added beside it. Closes with the amendment, or null.
 */
@Component({
  selector: 'app-amend-contact-dialog',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'corrections.contact.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>{{ 'corrections.contact.explain' | transloco }}</p>
        @if (data.current === undefined) {
          <p class="muted" data-testid="amend-not-read">
            {{ 'corrections.contact.notRead' | transloco }}
          </p>
        }
        <mat-checkbox
          formControlName="withdraw"
          data-testid="amend-withdraw"
          (change)="withdrawChanged($event.checked)"
        >
          {{ 'corrections.contact.withdraw' | transloco }}
        </mat-checkbox>
        @if (!withdrawing()) {
          <mat-form-field appearance="outline" class="wide">
            <mat-label>{{ 'corrections.contact.notes' | transloco }}</mat-label>
            <textarea
              matInput
              rows="4"
              formControlName="notes"
              [maxlength]="maxNotes"
              autocomplete="off"
              data-testid="amend-notes"
            ></textarea>
            <mat-error>{{ 'corrections.contact.notesRequired' | transloco }}</mat-error>
          </mat-form-field>
        }
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'corrections.contact.reason' | transloco }}</mat-label>
          <textarea
            matInput
            rows="2"
            formControlName="reason"
            [maxlength]="maxReason"
            autocomplete="off"
            data-testid="amend-reason"
          ></textarea>
          <mat-hint>{{
            'corrections.contact.reasonHint' | transloco: { min: minReason }
          }}</mat-hint>
          <mat-error>{{
            'corrections.contact.reasonTooShort' | transloco: { min: minReason }
          }}</mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="amend-confirm">
          {{ 'corrections.contact.save' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
      margin-top: 12px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'amend-contact-dialog' },
})
export class AmendContactDialog {
  private readonly ref =
    inject<MatDialogRef<AmendContactDialog, AmendContactRequest | null>>(MatDialogRef);
  protected readonly data = inject<AmendContactData>(MAT_DIALOG_DATA);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly minReason = MIN_AMENDMENT_REASON_LENGTH;
  protected readonly maxReason = MAX_AMENDMENT_REASON_LENGTH;
  protected readonly maxNotes = MAX_NOTES_LENGTH;
  protected readonly withdrawing = signal(false);
  protected readonly form = this.fb.group({
    withdraw: [false],
    notes: [this.data.current ?? '', [required, Validators.maxLength(MAX_NOTES_LENGTH)]],
    reason: ['', [reasonLongEnough, Validators.maxLength(MAX_AMENDMENT_REASON_LENGTH)]],
  });

  protected withdrawChanged(checked: boolean): void {
    this.withdrawing.set(checked);
    if (checked) this.form.controls.notes.disable();
    else this.form.controls.notes.enable();
  }

  protected confirm(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { withdraw, notes, reason } = this.form.getRawValue();
    this.ref.close({ reason: reason.trim(), notes: withdraw ? null : notes.trim() });
  }
}
