import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { TranslocoPipe } from '@jsverse/transloco';
import type { PersonDisclosureView } from '@harbour/domain';
import {
  disclosureAuthorityLabels,
  disclosureStatusLabels,
} from '../../../core/disclosures/disclosure-labels';
import { DisclosuresApi } from '../../../core/disclosures/disclosures.api';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';

/**
 * That data about this person went to an authority ("Disclosed to police on …"), or that a
 * request naming them is open or was refused. Nothing about what was asked: that is on the
 * disclosure request, for those who may read it. Shows nothing when there is nothing to say, or
 * when the list cannot be read.
 */
@Component({
  selector: 'app-person-disclosures',
  imports: [DateTimePipe, TranslocoPipe],
  template: `
    @if (items().length > 0) {
      <h2 class="title">{{ 'disclosures.person.title' | transloco }}</h2>
      <ul class="items" data-testid="person-disclosures">
        @for (item of items(); track item.requestId) {
          <li [attr.data-status]="item.status">
            @if (item.disclosedAt; as disclosedAt) {
              {{
                'disclosures.person.disclosed'
                  | transloco
                    : {
                        authority: (authorityLabels[item.authority] | transloco),
                        date: (disclosedAt | appDateTime: language().code),
                      }
              }}
            } @else {
              {{
                'disclosures.person.requested'
                  | transloco
                    : {
                        authority: (authorityLabels[item.authority] | transloco),
                        status: (statusLabels[item.status] | transloco),
                      }
              }}
            }
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .title {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .items {
      margin: 0 0 8px;
      padding-left: 20px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonDisclosures implements OnInit {
  private readonly api = inject(DisclosuresApi);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly language = inject(LanguageService).active;
  protected readonly authorityLabels = disclosureAuthorityLabels;
  protected readonly statusLabels = disclosureStatusLabels;

  readonly personId = input.required<string>();
  protected readonly items = signal<readonly PersonDisclosureView[]>([]);

  ngOnInit(): void {
    this.api
      .forPerson(this.personId())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (items) => this.items.set(items), error: () => this.items.set([]) });
  }
}
