import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { FormError } from '../../../core/ui/form-error';
import { AUDIT_CHECKPOINT_WITHIN_SECONDS, type AuditVerification } from '@harbour/domain';
import type { ChainStatus } from '../data/audit.store';

/** A tail older than this means checkpoints are not being signed as they should (T27). */
export const STALE_TAIL_SECONDS = 2 * AUDIT_CHECKPOINT_WITHIN_SECONDS;

/**
 * Whether the log is intact: "verified" with its size and last checkpoint, or an alarm with the
 * first bad index; and, either way, the newest events no signed checkpoint covers yet (how many,
 * how old: a warning when older than checkpoints allow) and the witness copy outside the
 * database the log was checked against. `data-status` is `loading`, `verified`, `failed` or
 * `error`.
 */
@Component({
  selector: 'app-chain-status-card',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    NumberPipe,
    TranslocoPipe,
  ],
  templateUrl: './chain-status-card.html',
  styleUrl: './chain-status-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'chain-status',
    '[attr.data-status]': 'status().kind',
    '[class.failed]': 'failed() !== null',
  },
})
export class ChainStatusCard {
  readonly status = input.required<ChainStatus>();
  /** "Verify again" was pressed. */
  readonly verify = output();

  protected readonly language = inject(LanguageService).active;
  protected readonly loading = computed(() => this.status().kind === 'loading');
  protected readonly verified = computed(() => {
    const status = this.status();
    return status.kind === 'verified' ? status.verification : null;
  });
  protected readonly failed = computed(() => {
    const status = this.status();
    return status.kind === 'failed' ? status.verification : null;
  });
  /** The verification (either outcome), for the tail and witness lines. */
  protected readonly checked = computed<AuditVerification | null>(
    () => this.verified() ?? this.failed(),
  );
  protected readonly staleTail = computed(() => {
    const age = this.checked()?.tail.ageSeconds ?? null;
    return age !== null && age > STALE_TAIL_SECONDS;
  });
  protected readonly failure = computed(() => {
    const status = this.status();
    return status.kind === 'error' ? status.error : null;
  });
}
