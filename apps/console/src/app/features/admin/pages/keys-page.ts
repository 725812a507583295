import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { jobPercent, type JobView, type OrganisationKeyView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { filter, switchMap } from 'rxjs';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import type { ConfirmDialogData } from '../components/confirm-dialog';
import { ConfirmDialog } from '../components/confirm-dialog';
import {
  KEY_PURPOSE_LABELS,
  KEY_STATUS_LABELS,
  ROTATION_KIND_LABELS,
  ROTATION_STATE_LABELS,
  rotationErrorLabel,
} from '../data/key-labels';
import { KeysStore } from '../data/keys.store';

const DAY_MS = 86_400_000;

/**
 * The organisation's keys (admins): which exist and in what state — never any key material —
 * and rotating the data key, followed while it runs. A retired key shows how long its material
 * is kept for backups taken before the rotation.
 */
@Component({
  selector: 'app-keys-page',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
  ],
  templateUrl: './keys-page.html',
  styleUrl: './keys-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeysPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(KeysStore);
  private readonly dialog = inject(MatDialog);
  private readonly clock = inject(Clock);

  protected readonly language = inject(LanguageService).active;
  protected readonly labels = {
    purpose: KEY_PURPOSE_LABELS,
    status: KEY_STATUS_LABELS,
    kind: ROTATION_KIND_LABELS,
    state: ROTATION_STATE_LABELS,
    error: rotationErrorLabel,
  };
  /** True while the start is being sent (its button is disabled meanwhile). */
  protected readonly starting = signal(false);

  ngOnInit(): void {
    this.store.load();
  }

  protected percent(job: JobView): number | null {
    return jobPercent(job);
  }

  /** Whole days until a retired key's material is destroyed (0 on the day itself). */
  protected daysLeft(key: OrganisationKeyView): number | null {
    if (key.destroyAfter === null) return null;
    return Math.max(0, Math.ceil((Date.parse(key.destroyAfter) - this.clock.now()) / DAY_MS));
  }

  protected rotate(): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
        data: {
          title: 'admin.keys.rotate.title',
          body: 'admin.keys.rotate.body',
          confirm: 'admin.keys.rotate.confirm',
        },
      })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.starting.set(true);
          return this.store.startRotation();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        error: () => this.starting.set(false),
        complete: () => this.starting.set(false),
      });
  }
}
