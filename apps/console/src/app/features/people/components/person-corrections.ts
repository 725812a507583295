import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  NEED_TRANSITIONS,
  type NeedStatus,
  type NeedView,
  type NewNeed,
  type UpdatePersonRequest,
} from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import * as labels from '../../../core/i18n/domain-labels';
import { CorrectionsStore } from '../data/corrections.store';
import { PersonStore } from '../data/person.store';
import { AddNeedDialog, type AddNeedDialogData } from './add-need-dialog';
import { CorrectDetailsDialog, type CorrectDetailsData } from './correct-details-dialog';
import { ReferDialog, type ReferDialogData, type ReferDialogResult } from './refer-dialog';

/**
 * The person page's corrections: "Correct details" (categories and identity, without reading
 * identity for it) and "Add a need" outside a contact, with the needs noted that way. Lives
 * inside the person page and works with its `PersonStore` (the person, the identity revealed
 * there, the partner directory).
 */
@Component({
  selector: 'app-person-corrections',
  imports: [DatePipe, FormError, MatButtonModule, MatIconModule, MatMenuModule, TranslocoPipe],
  providers: [CorrectionsStore],
  template: `
    @if (person(); as p) {
      <div role="status" data-testid="corrections-notice">
        @if (notice(); as key) {
          <p class="notice">{{ key | transloco }}</p>
        }
      </div>
      <app-form-error testId="corrections-error" [error]="error()" />
      @if (mayWrite() && p.erasedAt === null) {
        <div class="actions">
          <button
            mat-stroked-button
            type="button"
            data-testid="correct-details"
            [disabled]="busy()"
            (click)="correctDetails()"
          >
            <mat-icon svgIcon="edit" aria-hidden="true" />
            {{ 'corrections.details.button' | transloco }}
          </button>
          <button
            mat-stroked-button
            type="button"
            data-testid="add-need"
            [disabled]="busy()"
            (click)="addNeed()"
          >
            <mat-icon svgIcon="add" aria-hidden="true" />
            {{ 'corrections.needs.button' | transloco }}
          </button>
        </div>
      }
      @if (needs().length > 0) {
        <h2 class="field-label">{{ 'corrections.needs.heading' | transloco }}</h2>
        <ul class="list" data-testid="person-needs">
          @for (need of needs(); track need.id) {
            <li class="need" data-testid="person-need" [attr.data-category]="need.category">
              <span>
                {{ labels.needLabels[need.category] | transloco }} ·
                {{ labels.priorityLabels[need.priority] | transloco }} ·
                <span data-testid="person-need-status">{{
                  labels.needStatusLabels[need.status] | transloco
                }}</span>
                · {{ need.identifiedOn | appDate: language().code }}
              </span>
              @if (mayWrite()) {
                <span class="need-actions">
                  @if (need.status === 'identified' || need.status === 'in_progress') {
                    <button
                      mat-button
                      type="button"
                      data-testid="person-need-refer"
                      [disabled]="busy()"
                      (click)="refer(need)"
                    >
                      <mat-icon svgIcon="send" aria-hidden="true" />
                      {{ 'cases.person.refer' | transloco }}
                    </button>
                  }
                  @if (next(need).length > 0) {
                    <button
                      mat-button
                      type="button"
                      data-testid="person-need-status-menu"
                      [disabled]="busy()"
                      [matMenuTriggerFor]="menu"
                    >
                      {{ 'cases.person.updateStatus' | transloco }}
                    </button>
                    <mat-menu #menu="matMenu">
                      @for (status of next(need); track status) {
                        <button mat-menu-item type="button" (click)="changeNeed(need, status)">
                          {{ labels.needStatusLabels[status] | transloco }}
                        </button>
                      }
                    </mat-menu>
                  }
                </span>
              }
            </li>
          }
        </ul>
      }
    }
  `,
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonCorrections {
  private readonly page = inject(PersonStore);
  private readonly store = inject(CorrectionsStore);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);

  protected readonly labels = labels;
  protected readonly language = inject(LanguageService).active;
  protected readonly person = this.page.person;
  protected readonly needs = this.store.needs;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  protected readonly mayWrite = computed(() => this.session.permissions().has('case:write'));
  private readonly personId = computed(() => this.page.person()?.id ?? null);

  constructor() {
    // The person's own needs, once the page knows who they are (and again for another person).
    effect(() => {
      const id = this.personId();
      if (id !== null) untracked(() => this.store.loadNeeds(id));
    });
  }

  protected next(need: NeedView): readonly NeedStatus[] {
    return NEED_TRANSITIONS[need.status];
  }

  protected correctDetails(): void {
    const person = this.page.person();
    if (person === null) return;
    // The dialog sends the correction itself and stays open on a refusal, to show it in place.
    const data: CorrectDetailsData = {
      person,
      revealed: this.page.identity(),
      submit: (request) =>
        this.store.correctingDetails(person, request, () => {
          // Revealed values may be out of date now: hide them; show the person as they are.
          if (request.identity !== undefined) this.page.hideIdentity();
          this.page.reloadPerson();
        }),
    };
    this.dialog.open<CorrectDetailsDialog, CorrectDetailsData, UpdatePersonRequest | null>(
      CorrectDetailsDialog,
      { data, width: '640px' },
    );
  }

  protected addNeed(): void {
    const id = this.personId();
    if (id === null) return;
    // The dialog sends the need itself and stays open on a refusal, to show it in place.
    const data: AddNeedDialogData = { submit: (need) => this.store.addingNeed(id, need) };
    this.dialog.open<AddNeedDialog, AddNeedDialogData, NewNeed | null>(AddNeedDialog, {
      data,
      width: '480px',
    });
  }

  protected changeNeed(need: NeedView, status: NeedStatus): void {
    this.store.changeNeed(need, status);
  }

  protected refer(need: NeedView): void {
    const data: ReferDialogData = {
      need,
      partners: this.page.partners().filter((partner) => partner.active),
      // The dialog sends the referral itself and stays open on a refusal, to show it in place.
      submit: (result) => this.page.referring(need, result),
    };
    this.dialog.open<ReferDialog, ReferDialogData, ReferDialogResult | null>(ReferDialog, {
      data,
      width: '560px',
    });
  }
}
