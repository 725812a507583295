import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../http/app-error';

/**
 * A failure shown in place, next to the form it belongs to: `errors.<code>` unless the caller
 * passes a more specific key, plus the reference to quote to support. Announced as an alert.
 */
@Component({
  selector: 'app-form-error',
  imports: [MatIconModule, TranslocoPipe],
  template: `
    @if (error(); as failure) {
      <div class="form-error" role="alert" [attr.data-testid]="testId()">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <div>
          <p>{{ messageKey() | transloco: params() }}</p>
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

  protected readonly messageKey = computed(
    () => this.key() ?? `errors.${this.error()?.code ?? 'unknown_error'}`,
  );
}
