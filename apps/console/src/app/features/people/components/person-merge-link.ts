import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { PersonView } from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';

/**
 * The person page's part in merging: a merged record says where its person lives on (so an old
 * link or card still leads there); otherwise coordinators get "Merge with another record…",
 * which opens the merge page with this record kept.
 */
@Component({
  selector: 'app-person-merge-link',
  imports: [MatButtonModule, MatIconModule, RouterLink, TranslocoPipe],
  template: `
    @if (person().mergedInto; as survivor) {
      <p class="merged" role="status" data-testid="person-merged">
        {{ 'merge.mergedNotice' | transloco: { code: survivor.code } }}
        <a mat-flat-button [routerLink]="['/people', survivor.id]" data-testid="person-merged-open">
          {{ 'merge.openSurvivor' | transloco: { code: survivor.code } }}
        </a>
      </p>
    } @else if (mayMerge() && person().erasedAt === null) {
      <a
        mat-stroked-button
        [routerLink]="['/people', 'merge']"
        [queryParams]="{ a: person().id }"
        data-testid="person-merge"
      >
        <mat-icon aria-hidden="true">merge</mat-icon>
        {{ 'merge.action' | transloco }}
      </a>
    }
  `,
  styles: `
    .merged {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      font-weight: 500;
    }
    a {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonMergeLink {
  private readonly session = inject(SessionStore);

  readonly person = input.required<PersonView>();
  protected readonly mayMerge = computed(() => this.session.permissions().has('case:erase'));
}
