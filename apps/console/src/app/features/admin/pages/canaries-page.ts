import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  inject,
  Injector,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { CanaryView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { filter, switchMap } from 'rxjs';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import type { ConfirmDialogData } from '../components/confirm-dialog';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PlantCanaryDialog } from '../components/plant-canary-dialog';
import { CanariesStore } from '../data/canaries.store';

/** A short confirmation at the top of the page after an action. */
interface Notice {
  readonly key: string;
  readonly code: string;
}

/**
 * Canary people (admins): decoy records nobody has a reason to open. Planting one writes a
 * person with contacts that caseworkers and coordinators cannot tell from a real one; any
 * lookup hit, page view or reveal of it raises a flag for the auditors at once. Retiring one
 * erases its identity; it stays out of reports and accesses to it are still flagged.
 */
@Component({
  selector: 'app-canaries-page',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
  ],
  templateUrl: './canaries-page.html',
  styleUrl: './canaries-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CanariesPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(CanariesStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);

  protected readonly language = inject(LanguageService).active;
  protected readonly notice = signal<Notice | null>(null);
  /** The canary being retired (its button is disabled meanwhile). */
  protected readonly pending = signal<string | null>(null);

  ngOnInit(): void {
    this.store.load();
  }

  protected plant(): void {
    this.notice.set(null);
    this.dialog
      .open<PlantCanaryDialog, undefined, CanaryView>(PlantCanaryDialog, {
        injector: this.injector,
      })
      .afterClosed()
      .pipe(
        filter((canary): canary is CanaryView => canary !== undefined),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((canary) =>
        this.notice.set({ key: 'admin.canaries.notice.planted', code: canary.code }),
      );
  }

  protected retire(canary: CanaryView): void {
    this.notice.set(null);
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
        data: {
          title: 'admin.canaries.retire.title',
          body: 'admin.canaries.retire.body',
          confirm: 'admin.canaries.retire.confirm',
          params: { code: canary.code },
          danger: true,
        },
      })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.pending.set(canary.id);
          return this.store.retire(canary);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.notice.set({ key: 'admin.canaries.notice.retired', code: canary.code }),
        error: () => this.pending.set(null),
        complete: () => this.pending.set(null),
      });
  }
}
