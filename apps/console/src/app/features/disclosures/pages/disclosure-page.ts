import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DisclosureExportResponse, DisclosureRequestView } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { filter, switchMap } from 'rxjs';
import { SessionStore } from '../../../core/auth/session.store';
import { StepUpService } from '../../../core/auth/step-up.service';
import {
  disclosureAuthorityLabels,
  disclosureFieldLabels,
  disclosureStatusLabels,
} from '../../../core/disclosures/disclosure-labels';
import { DisclosuresApi } from '../../../core/disclosures/disclosures.api';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FileDownload } from '../../../core/ui/file-download';
import { FormError } from '../../../core/ui/form-error';
import {
  downloadDisclosureFile,
  PassphraseDialog,
  type PassphraseDialogData,
} from '../components/passphrase-dialog';
import { RefuseDisclosureDialog } from '../components/refuse-dialog';
import { disclosureActions } from '../data/disclosure-actions';

type Step = 'review' | 'approve' | 'refuse' | 'produce' | 'download' | 'close';

const NOTICES: Readonly<Record<Step, string>> = {
  review: 'disclosures.notice.reviewed',
  approve: 'disclosures.notice.approved',
  refuse: 'disclosures.notice.refused',
  produce: 'disclosures.notice.produced',
  download: 'disclosures.notice.downloaded',
  close: 'disclosures.notice.closed',
};

/**
 * One disclosure request: what is asked, by whom, under what instrument; its steps so far; the
 * approvals (a coordinator and an admin, neither the recorder); and the next steps this person may
 * take. Approving, refusing and producing the file need step-up. The admin sees codes, fields
 * and the period, never a person's data.
 */
@Component({
  selector: 'app-disclosure-page',
  imports: [
    DatePipe,
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatChipsModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './disclosure-page.html',
  styleUrl: './disclosures.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DisclosurePage implements OnInit {
  private readonly api = inject(DisclosuresApi);
  private readonly session = inject(SessionStore);
  private readonly stepUp = inject(StepUpService);
  private readonly dialog = inject(MatDialog);
  private readonly files = inject(FileDownload);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly language = inject(LanguageService).active;
  protected readonly statusLabels = disclosureStatusLabels;
  protected readonly authorityLabels = disclosureAuthorityLabels;
  protected readonly fieldLabels = disclosureFieldLabels;

  readonly id = input.required<string>();

  protected readonly request = signal<DisclosureRequestView | null>(null);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected readonly userId = computed(() => this.session.user()?.id ?? null);
  protected readonly actions = computed(() => {
    const view = this.request();
    const user = this.session.user();
    if (view === null || user === null) return null;
    return disclosureActions(view, {
      id: user.id,
      roles: this.session.roles(),
      permissions: this.session.permissions(),
    });
  });
  /** The approvals with their role label, oldest first. */
  protected readonly approvals = computed(() =>
    [...(this.request()?.approvals ?? [])].sort((a, b) => a.approvedAt.localeCompare(b.approvedAt)),
  );
  /** Shown to those who produce the file while it cannot be produced yet. */
  protected readonly secondApprovalRequired = computed(() => {
    const view = this.request();
    return (
      view !== null &&
      view.status === 'under_review' &&
      view.approvals.length === 1 &&
      this.session.hasPermission('disclosure:read')
    );
  });

  ngOnInit(): void {
    this.load();
  }

  protected review(): void {
    this.run('review', (view) => this.stepUp.run((context) => this.api.review(view, context)));
  }

  protected approve(): void {
    this.run('approve', (view) =>
      this.stepUp.run((context) => this.api.approve(view, context), { required: true }),
    );
  }

  protected close(): void {
    this.run('close', (view) => this.stepUp.run((context) => this.api.close(view, context)));
  }

  protected refuse(): void {
    const view = this.request();
    if (view === null) return;
    this.dialog
      .open<RefuseDisclosureDialog, undefined, string>(RefuseDisclosureDialog)
      .afterClosed()
      .pipe(
        filter((reason): reason is string => typeof reason === 'string'),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((reason) =>
        this.run('refuse', (current) =>
          this.stepUp.run((context) => this.api.refuse(current, reason, context), {
            required: true,
          }),
        ),
      );
  }

  /** Produces the file (step-up), then shows the passphrase once. */
  protected produce(): void {
    const view = this.request();
    if (view === null) return;
    this.start();
    this.stepUp
      .run((context) => this.api.export(view, context), { required: true })
      .pipe(
        switchMap((produced: DisclosureExportResponse) => {
          this.busy.set(false);
          this.notice.set(NOTICES.produce);
          this.load();
          return this.dialog
            .open<PassphraseDialog, PassphraseDialogData>(PassphraseDialog, {
              data: { requestId: view.id, produced },
              disableClose: true,
            })
            .afterClosed();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        error: (error: unknown) => this.fail(error),
        complete: () => this.busy.set(false),
      });
  }

  protected download(): void {
    const view = this.request();
    if (view === null) return;
    this.start();
    downloadDisclosureFile(this.api, this.files, view.id, 'disclosure.zip')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.notice.set(NOTICES.download),
        error: (error: unknown) => this.fail(error),
        complete: () => this.busy.set(false),
      });
  }

  private run(
    step: Step,
    action: (view: DisclosureRequestView) => Observable<DisclosureRequestView>,
  ) {
    const view = this.request();
    if (view === null) return;
    this.start();
    action(view)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.request.set(updated);
          this.notice.set(NOTICES[step]);
        },
        error: (error: unknown) => this.fail(error),
        complete: () => this.busy.set(false),
      });
  }

  private start(): void {
    this.busy.set(true);
    this.error.set(null);
    this.notice.set(null);
  }

  /** Shows why, and reloads: another person may have moved the request on meanwhile. */
  private fail(error: unknown): void {
    this.busy.set(false);
    this.error.set(appErrorOf(error));
    this.load(false);
  }

  private load(clearError = true): void {
    this.loading.set(true);
    if (clearError) this.error.set(null);
    this.api
      .get(this.id())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (view) => {
          this.request.set(view);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.loading.set(false);
        },
      });
  }
}
