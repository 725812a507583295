import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { AuditOutcome } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { OUTCOME_LABEL_KEYS } from '../data/audit-labels';

const OUTCOME_ICONS: Readonly<Record<AuditOutcome, string>> = {
  success: 'check_circle',
  denied: 'block',
  failure: 'error',
};

/** An event's outcome as a chip: an icon and a word, never colour alone. */
@Component({
  selector: 'app-outcome-chip',
  imports: [MatIconModule, TranslocoPipe],
  template: `
    <span class="chip" [class]="'chip chip-' + outcome()" [attr.data-outcome]="outcome()">
      <mat-icon [svgIcon]="icons[outcome()]" aria-hidden="true" />
      {{ labels[outcome()] | transloco }}
    </span>
  `,
  styles: `
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      min-height: 28px;
      padding: 0 10px 0 6px;
      border-radius: 8px;
      font: var(--mat-sys-label-large);
      white-space: nowrap;
      background: var(--mat-sys-surface-container-high);
    }
    mat-icon {
      width: 18px;
      height: 18px;
    }
    .chip-denied {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .chip-failure {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OutcomeChip {
  readonly outcome = input.required<AuditOutcome>();

  protected readonly labels = OUTCOME_LABEL_KEYS;
  protected readonly icons = OUTCOME_ICONS;
}
