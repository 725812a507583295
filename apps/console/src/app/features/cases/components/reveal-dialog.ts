import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { MAX_PURPOSE_LENGTH } from '@harbour/domain';
import { required } from '../../../core/forms/validators';

/**
 * Revealing identity is deliberate (DESIGN.md §5): the caseworker says why, in their own words,
 * and that purpose goes into the access log with the fields revealed. Closes with the purpose.
 */
@Component({
  selector: 'app-reveal-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'cases.reveal.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>{{ 'cases.reveal.explain' | transloco }}</p>
        <mat-form-field appearance="outline" class="purpose" subscriptSizing="dynamic">
          <mat-label>{{ 'cases.reveal.purpose' | transloco }}</mat-label>
          <textarea
            matInput
            rows="3"
            formControlName="purpose"
            [maxlength]="max"
            cdkFocusInitial
            data-testid="reveal-purpose"
          ></textarea>
          <mat-hint>{{ 'cases.reveal.purposeHint' | transloco }}</mat-hint>
          <mat-error>{{ 'cases.reveal.purposeRequired' | transloco }}</mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="reveal-confirm">
          {{ 'cases.reveal.confirm' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .purpose {
      width: 100%;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'reveal-dialog' },
})
export class RevealDialog {
  private readonly ref = inject<MatDialogRef<RevealDialog, string | null>>(MatDialogRef);
  protected readonly max = MAX_PURPOSE_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    purpose: ['', [required, Validators.maxLength(MAX_PURPOSE_LENGTH)]],
  });

  protected confirm(): void {
    const purpose = this.form.getRawValue().purpose.trim();
    if (purpose === '') {
      this.form.controls.purpose.setValue('');
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close(purpose);
  }
}
