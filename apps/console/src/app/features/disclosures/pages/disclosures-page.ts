import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DisclosureRequestView } from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import {
  disclosureAuthorityLabels,
  disclosureStatusLabels,
} from '../../../core/disclosures/disclosure-labels';
import { DisclosuresApi } from '../../../core/disclosures/disclosures.api';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';

/**
 * Disclosure requests (coordinators and admins), newest first: status, who asks, when it was
 * recorded and how many people it names (codes only; nobody's data on this page).
 */
@Component({
  selector: 'app-disclosures-page',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatChipsModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
  ],
  template: `
    <h1 class="page-heading">{{ 'disclosures.list.heading' | transloco }}</h1>
    <p class="intro">{{ 'disclosures.list.intro' | transloco }}</p>
    @if (mayRecord) {
      <a mat-flat-button routerLink="/disclosures/new" data-testid="disclosure-record-link">
        <mat-icon svgIcon="add" aria-hidden="true" />
        {{ 'disclosures.list.record' | transloco }}
      </a>
    }
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
    }
    <app-form-error testId="disclosures-error" [error]="error()" />
    @if (!loading() && error() === null && requests().length === 0) {
      <p class="muted" data-testid="disclosures-empty">
        {{ 'disclosures.list.empty' | transloco }}
      </p>
    }
    <ul class="requests" data-testid="disclosures-list">
      @for (request of requests(); track request.id) {
        <li [attr.data-testid]="'disclosure-row-' + request.id">
          <a class="row" [routerLink]="['/disclosures', request.id]">
            <mat-chip-set [attr.aria-label]="'disclosures.list.status' | transloco">
              <mat-chip [class]="'status-' + request.status" data-testid="disclosure-status">
                {{ statusLabels[request.status] | transloco }}
              </mat-chip>
            </mat-chip-set>
            <span class="authority">{{ authorityLabels[request.authority] | transloco }}</span>
            <span class="meta">
              {{
                'disclosures.list.recordedOn'
                  | transloco: { date: (request.recordedAt | appDateTime: language().code) }
              }}
              ·
              {{ 'disclosures.list.people' | transloco: { count: request.personCodes.length } }}
            </span>
          </a>
        </li>
      }
    </ul>
  `,
  styles: `
    .intro,
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .requests {
      list-style: none;
      padding: 0;
      margin: 16px 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      min-height: 48px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      color: inherit;
      text-decoration: none;
    }
    .authority {
      font: var(--mat-sys-title-small);
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DisclosuresPage implements OnInit {
  private readonly api = inject(DisclosuresApi);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly language = inject(LanguageService).active;
  protected readonly mayRecord = inject(SessionStore).hasPermission('disclosure:record');
  protected readonly statusLabels = disclosureStatusLabels;
  protected readonly authorityLabels = disclosureAuthorityLabels;

  protected readonly requests = signal<readonly DisclosureRequestView[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<AppError | null>(null);

  ngOnInit(): void {
    this.api
      .list()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (requests) => {
          this.requests.set(requests);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.loading.set(false);
        },
      });
  }
}
