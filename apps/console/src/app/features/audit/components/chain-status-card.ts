import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { FormError } from '../../../core/ui/form-error';
import type { ChainStatus } from '../data/audit.store';

/**
 * Whether the log is intact: "verified" with its size and last checkpoint, or an alarm with the
 * first bad index. `data-status` is `loading`, `verified`, `failed` or `error`.
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
  protected readonly failure = computed(() => {
    const status = this.status();
    return status.kind === 'error' ? status.error : null;
  });
}
