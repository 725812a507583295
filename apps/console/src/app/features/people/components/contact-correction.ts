import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AmendContactRequest, ContactView } from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { whenDialogConfirms } from '../../../core/ui/dialog-result';
import { FormError } from '../../../core/ui/form-error';
import { CorrectionsStore } from '../data/corrections.store';
import { PersonStore } from '../data/person.store';
import { AmendContactDialog, type AmendContactData } from './amend-contact-dialog';

/**
 * One contact on a person's timeline as corrections see it: an "amended" marker, the list of
 * its corrections on request (who, when, why: reading them is an access event), and "Correct
 * this contact" with a reason. Works with the person page's `PersonStore` (the note read there,
 * and the page reloaded after a correction).
 */
@Component({
  selector: 'app-contact-correction',
  imports: [DateTimePipe, FormError, MatButtonModule, MatIconModule, TranslocoPipe],
  providers: [CorrectionsStore],
  template: `
    @if (contact().amended) {
      <span class="tag" data-testid="contact-amended">{{
        'corrections.contact.amended' | transloco
      }}</span>
      @if (history(); as amendments) {
        <ul class="list amendments" data-testid="contact-amendments">
          @for (amendment of amendments; track amendment.id) {
            <li data-testid="contact-amendment">
              <strong>{{ amendment.createdAt | appDateTime: language().code }}</strong>
              @if (amendment.reason; as reason) {
                · <span class="note-text">{{ reason }}</span>
              } @else {
                ·
                <span class="muted">{{ 'corrections.contact.reasonUnreadable' | transloco }}</span>
              }
            </li>
          }
        </ul>
        <button mat-button type="button" data-testid="hide-amendments" (click)="hideHistory()">
          {{ 'corrections.contact.hideHistory' | transloco }}
        </button>
      } @else {
        <button mat-button type="button" data-testid="show-amendments" (click)="showHistory()">
          {{ 'corrections.contact.showHistory' | transloco }}
        </button>
      }
    }
    @if (mayAmend()) {
      <button
        mat-button
        type="button"
        data-testid="correct-contact"
        [disabled]="busy()"
        (click)="correct()"
      >
        <mat-icon svgIcon="edit" aria-hidden="true" />
        {{ 'corrections.contact.button' | transloco }}
      </button>
    }
    <div role="status">
      @if (notice(); as key) {
        <p class="notice">{{ key | transloco }}</p>
      }
    </div>
    <app-form-error
      testId="correct-contact-error"
      [error]="error()"
      [key]="error()?.code === 'conflict' ? 'corrections.contact.erased' : null"
    />
  `,
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactCorrection {
  readonly contact = input.required<ContactView>();

  private readonly page = inject(PersonStore);
  private readonly store = inject(CorrectionsStore);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly language = inject(LanguageService).active;
  protected readonly history = this.store.history;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  /** Only a person's contact can be corrected (its correction is sealed under their key). */
  protected readonly mayAmend = computed(
    () =>
      this.session.permissions().has('case:write') &&
      this.contact().personId !== null &&
      this.page.person()?.erasedAt === null,
  );

  protected showHistory(): void {
    this.store.readHistory(this.contact().id);
  }

  protected hideHistory(): void {
    this.store.hideHistory();
  }

  protected correct(): void {
    const id = this.contact().id;
    const notes = this.page.notes();
    const data: AmendContactData = { current: id in notes ? notes[id] : undefined };
    whenDialogConfirms(
      this.dialog.open<AmendContactDialog, AmendContactData, AmendContactRequest | null>(
        AmendContactDialog,
        { data, width: '560px' },
      ),
      this.destroyRef,
      (request) =>
        this.store.amendContact(id, request, () => {
          // The note read before is the old one now: drop it, and show the timeline again.
          this.page.hideNote(id);
          this.store.hideHistory();
          this.page.load();
        }),
    );
  }
}
