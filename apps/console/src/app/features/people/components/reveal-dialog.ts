import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import {
  MAX_REVEAL_DETAIL_LENGTH,
  REVEAL_PURPOSES,
  type RevealPurpose,
  type RevealRequest,
} from '@harbour/domain';
import { revealPurposeLabels } from '../../../core/i18n/domain-labels';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import { required } from '../../../core/forms/validators';
import { FormError } from '../../../core/ui/form-error';

/**
 * What the page gives the dialog: `submit` sends the reveal. The dialog closes once it succeeds
 * and stays open on a refusal, with the message under the field it concerns.
 */
export interface RevealDialogData {
  readonly submit?: (request: RevealRequest) => Observable<unknown>;
}

/**
 * Revealing identity is deliberate (docs/design.md §5): the caseworker chooses why from the closed
 * list of `@harbour/domain` (the category is what the access log keeps and auditors see), and may
 * add words, which the API encrypts under the person's own key. With `submit`, it sends the
 * request itself and closes only when it succeeded; a refusal stays on screen, under the field
 * it concerns. Without, it closes with the request.
 */
@Component({
  selector: 'app-reveal-dialog',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'cases.reveal.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>{{ 'cases.reveal.explain' | transloco }}</p>
        <mat-form-field appearance="outline" class="wide" subscriptSizing="dynamic">
          <mat-label>{{ 'cases.reveal.purpose' | transloco }}</mat-label>
          <mat-select formControlName="purpose" data-testid="reveal-purpose" cdkFocusInitial>
            @for (purpose of purposes; track purpose) {
              <mat-option [value]="purpose" [attr.data-purpose]="purpose">
                {{ labels[purpose] | transloco }}
              </mat-option>
            }
          </mat-select>
          <mat-error data-testid="reveal-purpose-error">
            @if (form.controls.purpose.errors?.['required']) {
              {{ 'cases.reveal.purposeRequired' | transloco }}
            } @else {
              {{ form.controls.purpose.errors | fieldError }}
            }
          </mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline" class="wide" subscriptSizing="dynamic">
          <mat-label>{{ 'cases.reveal.detail' | transloco }}</mat-label>
          <textarea
            matInput
            rows="2"
            formControlName="detail"
            [maxlength]="max"
            autocomplete="off"
            data-testid="reveal-detail"
          ></textarea>
          <mat-hint>{{ 'cases.reveal.detailHint' | transloco }}</mat-hint>
          <mat-error data-testid="reveal-detail-error">
            {{ form.controls.detail.errors | fieldError }}
          </mat-error>
        </mat-form-field>
        <app-form-error testId="reveal-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="reveal-confirm" [disabled]="busy()">
          {{ 'cases.reveal.confirm' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
      margin-bottom: 12px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'reveal-dialog' },
})
export class RevealDialog {
  private readonly data = inject<RevealDialogData | null>(MAT_DIALOG_DATA, { optional: true });
  protected readonly purposes = REVEAL_PURPOSES;
  protected readonly labels = revealPurposeLabels;
  protected readonly max = MAX_REVEAL_DETAIL_LENGTH;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    purpose: this.fb.control<RevealPurpose | ''>('', required),
    detail: ['', Validators.maxLength(MAX_REVEAL_DETAIL_LENGTH)],
  });
  private readonly sending = new DialogSubmission<RevealRequest | null>(this.form);
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

  protected confirm(): void {
    const { purpose, detail } = this.form.getRawValue();
    if (purpose === '' || this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const words = detail.trim();
    const request: RevealRequest = words === '' ? { purpose } : { purpose, detail: words };
    this.sending.send(request, this.data?.submit);
  }
}
