import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { FieldError } from '@harbour/domain';
import { FieldErrorPipe } from '../forms/field-error.pipe';
import { fieldNameKey } from '../forms/field-errors';
import type { AppError } from '../http/app-error';

/**
 * A failure shown in place, next to the form it belongs to: `errors.<code>` unless the caller
 * passes a more specific key, plus the reference to quote to support. Announced as an alert.
 *
 * A form that puts field errors on its controls (`applyFieldErrors`) passes the ones no control
 * took as `unmatched`: none, and a `validation_failed` shows no banner (the controls say it);
 * some, and the banner names each field in words with what to do about it. A form that passes
 * nothing gets every refused field named that way (never a raw path or reason).
 */
@Component({
  selector: 'app-form-error',
  imports: [FieldErrorPipe, MatIconModule, TranslocoPipe],
  template: `
    @if (shown(); as failure) {
      <div class="form-error" role="alert" [attr.data-testid]="testId()">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <div>
          <p>{{ messageKey() | transloco: params() }}</p>
          @if (named().length > 0) {
            <ul class="fields" data-testid="form-error-fields">
              @for (field of named(); track $index) {
                <li>
                  {{ 'errors.fieldName.' + field.name | transloco }}:
                  {{ field.errors | fieldError }}
                </li>
              }
            </ul>
          }
          @if (failure.correlationId; as correlationId) {
            <p class="reference">{{ 'errors.reference' | transloco: { correlationId } }}</p>
          }
        </div>
      </div>
    }
  `,
  styles: `
    .form-error {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      margin: 8px 0 16px;
      padding: 12px 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    mat-icon {
      flex: none;
    }
    p {
      margin: 0;
    }
    .fields {
      margin: 4px 0 0;
      padding-inline-start: 20px;
    }
    .reference {
      margin-top: 4px;
      font: var(--mat-sys-body-small);
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormError {
  readonly error = input<AppError | null>(null);
  /** A translation key that explains this error better here than `errors.<code>`. */
  readonly key = input<string | null>(null);
  readonly params = input<Readonly<Record<string, unknown>>>({});
  readonly testId = input<string | null>(null);

  /** The field errors no control of the form shows; null when the form maps none itself. */
  readonly unmatched = input<readonly FieldError[] | null>(null);

  /** The error, unless every field it names is already marked on its control. */
  protected readonly shown = computed(() => {
    const error = this.error();
    const unmatched = this.unmatched();
    const onControls =
      error?.code === 'validation_failed' && unmatched !== null && unmatched.length === 0;
    return onControls ? null : error;
  });

  /** The fields of a `validation_failed` (other codes explain their fields themselves). */
  private readonly refusedFields = computed(() => {
    const error = this.error();
    return error?.code === 'validation_failed' ? (error.details.fields ?? []) : [];
  });

  /** The fields to name: those no control took, or, for a form that maps none, all of them. */
  protected readonly named = computed(() =>
    (this.unmatched() ?? this.refusedFields()).map((field) => ({
      name: fieldNameKey(field.path),
      errors: { api: { reason: field.reason, limits: field.limits } },
    })),
  );

  protected readonly messageKey = computed(() => {
    const key = this.key();
    if (key !== null) return key;
    const code = this.error()?.code ?? 'unknown_error';
    return code === 'validation_failed' && this.named().length > 0
      ? 'errors.checkFields'
      : `errors.${code}`;
  });
}
