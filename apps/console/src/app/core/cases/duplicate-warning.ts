import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DuplicateCandidate, LookupMatch } from '@harbour/domain';
import { LanguageService } from '../i18n/language.service';
import { Clock } from '../time/clock';
import { seenAgo } from './seen-ago';

const MATCH_LABELS: Readonly<Record<LookupMatch, string>> = {
  name: 'merge.duplicate.match.name',
  alias: 'merge.duplicate.match.alias',
  slk: 'merge.duplicate.match.slk',
  phone: 'merge.duplicate.match.phone',
  code: 'merge.duplicate.match.code',
  name_similar: 'cases.find.matched.nameSimilar',
};

/**
 * The answer to `possible_duplicate` when a new person is recorded: "This may be HB-…, seen 3
 * weeks ago", each with "Use this person", and one "Create anyway". Codes and days only: the
 * API never sends a name here, and the worker checks with the person in front of them.
 */
@Component({
  selector: 'app-duplicate-warning',
  imports: [MatButtonModule, MatIconModule, TranslocoPipe],
  template: `
    <section class="duplicates" role="alert" data-testid="duplicate-warning">
      <h3>
        <mat-icon aria-hidden="true">people</mat-icon>
        {{ 'merge.duplicate.title' | transloco }}
      </h3>
      <p>{{ 'merge.duplicate.explain' | transloco }}</p>
      <ul>
        @for (row of rows(); track row.candidate.id) {
          <li [attr.data-code]="row.candidate.code">
            <span class="who">
              @if (row.ago !== null) {
                {{ 'merge.duplicate.seen' | transloco: { code: row.candidate.code, ago: row.ago } }}
              } @else {
                {{ 'merge.duplicate.neverSeen' | transloco: { code: row.candidate.code } }}
              }
            </span>
            <span class="how">
              @for (match of row.candidate.matchedOn; track match) {
                <span class="match">{{
                  'merge.duplicate.matchedOn'
                    | transloco: { what: (matchLabels[match] | transloco) }
                }}</span>
              }
            </span>
            <button
              mat-flat-button
              type="button"
              data-testid="duplicate-use"
              (click)="use.emit(row.candidate)"
            >
              {{ 'merge.duplicate.use' | transloco }}
            </button>
          </li>
        }
      </ul>
      <button
        mat-stroked-button
        type="button"
        data-testid="duplicate-create"
        (click)="createAnyway.emit()"
      >
        {{ 'merge.duplicate.createAnyway' | transloco }}
      </button>
    </section>
  `,
  styles: `
    .duplicates {
      border: 2px solid var(--mat-sys-tertiary, #7d5260);
      border-radius: 12px;
      padding: 12px 16px;
      margin: 12px 0;
    }
    h3 {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 0 0 4px;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 8px 0;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc);
    }
    .who {
      font-weight: 500;
      flex: 1 1 100%;
    }
    .match {
      font-size: 0.85em;
      margin-right: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DuplicateWarning {
  private readonly clock = inject(Clock);
  private readonly language = inject(LanguageService).active;

  readonly candidates = input.required<readonly DuplicateCandidate[]>();
  readonly use = output<DuplicateCandidate>();
  readonly createAnyway = output<void>();
  protected readonly matchLabels = MATCH_LABELS;

  protected readonly rows = computed(() => {
    const language = this.language().code;
    const now = this.clock.now();
    return this.candidates().map((candidate) => ({
      candidate,
      ago: candidate.lastSeenOn === null ? null : seenAgo(candidate.lastSeenOn, now, language),
    }));
  });
}
