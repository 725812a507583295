import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AppError } from '../../../core/http/app-error';
import type { BackupRunKind, BackupStatus } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { FormError } from '../../../core/ui/form-error';

const KIND_LABELS: Readonly<Record<BackupRunKind, string>> = {
  backup: 'home.backups.kinds.backup',
  verify: 'home.backups.kinds.verify',
  restore: 'home.backups.kinds.restore',
};

/**
 * The deployment's last backup and last rehearsed restore (admins), each with a warning — icon
 * and words, not colour alone — when there is none in the last week, and the failure since the
 * last success if there is one. Presentational: state in.
 */
@Component({
  selector: 'app-backups-card',
  imports: [
    DateTimePipe,
    FormError,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    NumberPipe,
    TranslocoPipe,
  ],
  templateUrl: './backups-card.html',
  styleUrl: './backups-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupsCard {
  readonly status = input.required<BackupStatus | null>();
  readonly loading = input(false);
  readonly error = input<AppError | null>(null);

  protected readonly language = inject(LanguageService).active;
  protected readonly kindLabels = KIND_LABELS;
}
