import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  IDENTITY_FIELDS,
  MERGE_CATEGORY_FIELDS,
  parsePersonCode,
  type IdentityField,
  type MergeCategoryField,
  type MergeSide,
  type PersonView,
  type RevealRequest,
} from '@harbour/domain';
import * as labels from '../../../core/i18n/domain-labels';
import { FormError } from '../../../core/ui/form-error';
import { RevealDialog, type RevealDialogData } from '../components/reveal-dialog';
import { MergeStore, type MergeSideView } from '../data/merge.store';
import { IdentityValue } from '../../../core/cases/identity-value';

const IDENTITY_LABELS: Readonly<Record<IdentityField, string>> = {
  givenName: 'cases.identity.givenName',
  familyName: 'cases.identity.familyName',
  alias: 'cases.identity.alias',
  dateOfBirth: 'cases.identity.dateOfBirth',
  sex: 'cases.identity.sex',
  phone: 'cases.identity.phone',
};

const CATEGORY_LABELS: Readonly<Record<MergeCategoryField, string>> = {
  ageBand: 'cases.person.ageBand',
  regionOfOrigin: 'cases.person.region',
  languageGroup: 'cases.contact.language',
  genderIdentity: 'cases.person.gender',
  consentToReporting: 'cases.person.reporting',
};

/** A category's value as a translation key (or null: not recorded). */
export function categoryLabel(person: PersonView, field: MergeCategoryField): string | null {
  switch (field) {
    case 'ageBand':
      return labels.ageBandLabels[person.ageBand];
    case 'regionOfOrigin':
      return labels.regionLabels[person.regionOfOrigin];
    case 'languageGroup':
      return person.languageGroup === null ? null : labels.languageLabels[person.languageGroup];
    case 'genderIdentity':
      return person.genderIdentity === null ? null : labels.genderLabels[person.genderIdentity];
    case 'consentToReporting':
      return person.consentToReporting ? 'cases.person.reportingYes' : 'cases.person.reportingNo';
  }
}

/**
 * `/people/merge?a=<kept>&b=<merged into it>` (coordinators, `case:erase`): two records of the
 * same person side by side — categories and how much each holds; identity values only after a
 * reveal with a reason (two access events) — each differing field chosen, then the merge,
 * confirmed by typing the absorbed record's code and a fresh step-up. Lands on the survivor.
 */
@Component({
  selector: 'app-merge-page',
  imports: [
    FormError,
    IdentityValue,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  providers: [MergeStore],
  template: `
    <h1>{{ 'merge.heading' | transloco }}</h1>
    <p>{{ 'merge.intro' | transloco }}</p>

    @if (survivor() !== null && absorbed() === null) {
      <form class="find" (submit)="findOther($event)" novalidate>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>{{ 'merge.findOther' | transloco }}</mat-label>
          <input
            matInput
            [formControl]="otherCode"
            autocomplete="off"
            data-testid="merge-other-code"
          />
          <mat-hint>{{ 'merge.findOtherHint' | transloco }}</mat-hint>
        </mat-form-field>
        <button mat-flat-button type="submit" data-testid="merge-find">
          {{ 'merge.find' | transloco }}
        </button>
        @if (notFound()) {
          <p role="status">{{ 'merge.notFound' | transloco }}</p>
        }
      </form>
    }

    @if (survivor(); as kept) {
      @if (absorbed(); as gone) {
        <div class="sides">
          @for (side of [kept, gone]; track side.person.id; let first = $first) {
            <mat-card
              appearance="outlined"
              [attr.data-testid]="first ? 'merge-survivor' : 'merge-absorbed'"
            >
              <mat-card-header>
                <mat-card-title class="code">{{ side.person.code }}</mat-card-title>
                <mat-card-subtitle>
                  {{ (first ? 'merge.survivor' : 'merge.absorbed') | transloco }}
                </mat-card-subtitle>
              </mat-card-header>
              <mat-card-content>
                <p>
                  {{
                    'merge.counts'
                      | transloco: { contacts: side.contacts, referrals: side.referrals }
                  }}
                </p>
              </mat-card-content>
            </mat-card>
          }
        </div>
        <button mat-stroked-button type="button" (click)="swap()" data-testid="merge-swap">
          {{ 'merge.swap' | transloco }}
        </button>

        <h2>{{ 'merge.categories' | transloco }}</h2>
        @for (field of categoryFields; track field) {
          <div class="row" [attr.data-field]="field">
            <span class="label">{{ categoryLabels[field] | transloco }}</span>
            <mat-button-toggle-group
              [value]="categories()[field] ?? 'survivor'"
              (change)="chooseCategory(field, $event.value)"
            >
              @for (s of sidesOf(kept, gone); track s.side) {
                <mat-button-toggle [value]="s.side">
                  {{ valueOrNone(categoryLabel(s.view.person, field)) | transloco }}
                </mat-button-toggle>
              }
            </mat-button-toggle-group>
          </div>
        }

        <h2>{{ 'merge.identity' | transloco }}</h2>
        @if (kept.identity === null || gone.identity === null) {
          <p>{{ 'merge.revealHint' | transloco }}</p>
          <button
            mat-stroked-button
            type="button"
            (click)="revealBoth()"
            data-testid="merge-reveal"
          >
            {{ 'merge.revealBoth' | transloco }}
          </button>
        } @else {
          @for (field of identityFields; track field) {
            <div class="row" [attr.data-field]="field">
              <span class="label">{{ identityLabels[field] | transloco }}</span>
              <mat-button-toggle-group
                [value]="identity()[field] ?? defaultSide(kept, field)"
                (change)="chooseIdentity(field, $event.value)"
              >
                @for (s of sidesOf(kept, gone); track s.side) {
                  <mat-button-toggle [value]="s.side">
                    @if (s.view.identity?.[field]; as value) {
                      <app-identity-value [field]="field" [value]="value" />
                    } @else {
                      {{ 'merge.none' | transloco }}
                    }
                  </mat-button-toggle>
                }
              </mat-button-toggle-group>
            </div>
          }
        }

        <form class="confirm" (submit)="merge($event, gone)" novalidate>
          <p>{{ 'merge.confirmHint' | transloco: { code: gone.person.code } }}</p>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ 'merge.typeCode' | transloco }}</mat-label>
            <input matInput [formControl]="typed" autocomplete="off" data-testid="merge-code" />
          </mat-form-field>
          <button
            mat-flat-button
            color="warn"
            type="submit"
            data-testid="merge-confirm"
            [disabled]="busy() || !codeMatches()"
          >
            {{ 'merge.confirm' | transloco }}
          </button>
        </form>
      }
    }
    <app-form-error testId="merge-error" [error]="error()" />
  `,
  styles: `
    .sides {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
      gap: 12px;
      margin: 12px 0;
    }
    .code {
      font-family: monospace;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin: 8px 0;
    }
    .label {
      flex: 0 0 160px;
    }
    .find,
    .confirm {
      margin: 16px 0;
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MergePage implements OnInit {
  private readonly store = inject(MergeStore);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);

  /** `?a=`: the record that is kept. */
  readonly a = input<string | undefined>();
  /** `?b=`: the record merged into it. */
  readonly b = input<string | undefined>();

  protected readonly identityFields = IDENTITY_FIELDS;
  protected readonly categoryFields = MERGE_CATEGORY_FIELDS;
  protected readonly identityLabels = IDENTITY_LABELS;
  protected readonly categoryLabels = CATEGORY_LABELS;
  protected readonly categoryLabel = categoryLabel;
  protected readonly survivor = this.store.survivor;
  protected readonly absorbed = this.store.absorbed;
  protected readonly identity = this.store.identity;
  protected readonly categories = this.store.categories;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notFound = this.store.notFound;
  protected readonly otherCode = new FormControl('', { nonNullable: true });
  protected readonly typed = new FormControl('', { nonNullable: true });
  private readonly typedValue = toSignal(this.typed.valueChanges, { initialValue: '' });
  protected readonly codeMatches = computed(() => {
    const gone = this.absorbed();
    return gone !== null && parsePersonCode(this.typedValue()) === gone.person.code;
  });

  ngOnInit(): void {
    this.store.open(this.a(), this.b());
  }

  protected sidesOf(
    kept: MergeSideView,
    gone: MergeSideView,
  ): { side: MergeSide; view: MergeSideView }[] {
    return [
      { side: 'survivor', view: kept },
      { side: 'absorbed', view: gone },
    ];
  }

  /** The side the API keeps a field from when none is chosen: the survivor's, if it has one. */
  protected defaultSide(kept: MergeSideView, field: IdentityField): MergeSide {
    return kept.identity?.[field] === undefined ? 'absorbed' : 'survivor';
  }

  protected valueOrNone(key: string | null): string {
    return key ?? 'merge.none';
  }

  // These forms have no form group, so no `ngSubmit`: the native submit is stopped here, or the
  // browser would reload the page without its `?a=` and lose both records.
  protected findOther(event: Event): void {
    event.preventDefault();
    const code = parsePersonCode(this.otherCode.value);
    if (code !== null) this.store.findOther(code);
  }

  protected swap(): void {
    this.store.swap();
    this.typed.setValue('');
  }

  protected chooseCategory(field: MergeCategoryField, side: MergeSide): void {
    this.store.chooseCategory(field, side);
  }

  protected chooseIdentity(field: IdentityField, side: MergeSide): void {
    this.store.chooseIdentity(field, side);
  }

  protected revealBoth(): void {
    this.dialog.open<RevealDialog, RevealDialogData, RevealRequest | null>(RevealDialog, {
      width: '480px',
      data: { submit: (request) => this.store.revealingBoth(request) },
    });
  }

  protected merge(event: Event, gone: MergeSideView): void {
    event.preventDefault();
    if (parsePersonCode(this.typed.value) !== gone.person.code) return;
    this.store.merge((receipt) => {
      void this.router.navigate(['/people', receipt.survivor.id]);
    });
  }
}
