import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { ageBandLabels, regionLabels } from '../../../core/i18n/domain-labels';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { KeyWorkerPeopleStore } from '../data/key-worker-people.store';

/**
 * "My people": the people whose key worker the signed-in caseworker is — codes and categories,
 * the last contact and open needs; never identity (that stays behind each person's reveal).
 */
@Component({
  selector: 'app-my-people-page',
  imports: [
    DatePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
  ],
  providers: [KeyWorkerPeopleStore],
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
    }
    <h1 class="page-heading" data-testid="my-people-heading">
      {{ 'keyWorkers.mine.heading' | transloco }}
    </h1>
    <p class="intro">{{ 'keyWorkers.mine.intro' | transloco }}</p>
    @if (mayHandOver()) {
      <p>
        <a mat-stroked-button routerLink="/people/hand-over" data-testid="hand-over-link">
          {{ 'keyWorkers.handOver.link' | transloco }}
        </a>
      </p>
    }
    <app-form-error testId="my-people-error" [error]="error()" />
    @if (!loading() && people().length === 0) {
      <p class="muted" data-testid="my-people-none">{{ 'keyWorkers.mine.none' | transloco }}</p>
    }
    <ul class="list" data-testid="my-people">
      @for (person of people(); track person.personId) {
        <li data-testid="my-person">
          <a [routerLink]="['/people', person.personId]" class="code">{{ person.code }}</a>
          @if (person.restricted) {
            <span class="badge">
              <mat-icon svgIcon="lock" aria-hidden="true" />
              {{ 'keyWorkers.restrictedBadge' | transloco }}
            </span>
          }
          <div class="muted">
            {{ ageBandLabels[person.ageBand] | transloco }} ·
            {{ regionLabels[person.regionOfOrigin] | transloco }}
          </div>
          <div class="muted">
            @if (person.lastContactOn; as last) {
              {{
                'keyWorkers.mine.lastContact'
                  | transloco: { date: (last | appDate: language().code) }
              }}
            } @else {
              {{ 'keyWorkers.mine.noContact' | transloco }}
            }
            · {{ 'keyWorkers.mine.openNeeds' | transloco: { count: person.openNeeds } }}
          </div>
        </li>
      }
    </ul>
    @if (hasMore()) {
      <button mat-stroked-button type="button" data-testid="my-people-more" (click)="more()">
        {{ 'keyWorkers.more' | transloco }}
      </button>
    }
  `,
  styleUrl: '../../../core/cases/cases-page.scss',
  styles: `
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      margin-left: 8px;
      padding: 2px 10px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyPeoplePage implements OnInit {
  private readonly store = inject(KeyWorkerPeopleStore);
  private readonly session = inject(SessionStore);

  protected readonly ageBandLabels = ageBandLabels;
  protected readonly regionLabels = regionLabels;
  protected readonly language = inject(LanguageService).active;
  protected readonly people = this.store.people;
  protected readonly hasMore = this.store.hasMore;
  protected readonly loading = this.store.loading;
  protected readonly error = this.store.error;
  protected readonly mayHandOver = computed(() => this.session.permissions().has('case:erase'));

  ngOnInit(): void {
    this.store.open(null);
  }

  protected more(): void {
    this.store.more();
  }
}
