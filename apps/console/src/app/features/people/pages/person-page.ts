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
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  IDENTITY_FIELDS,
  NEED_TRANSITIONS,
  type IdentityField,
  type NeedStatus,
  type NeedView,
  type ReferralView,
  type RevealRequest,
} from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { whenDialogConfirms } from '../../../core/ui/dialog-result';
import { FormError } from '../../../core/ui/form-error';
import { ContactCorrection } from '../components/contact-correction';
import { EraseDialog } from '../components/erase-dialog';
import { PersonCorrections } from '../components/person-corrections';
import { PersonDisclosures } from '../components/person-disclosures';
import { PersonConsents } from '../components/person-consents';
import { PersonFollowUps } from '../components/person-follow-ups';
import { PersonKeyWorkers } from '../components/person-key-workers';
import { PersonOutcomes } from '../components/person-outcomes';
import { PersonMergeLink } from '../components/person-merge-link';
import { SubjectExport } from '../components/subject-export';
import {
  ReferDialog,
  type ReferDialogData,
  type ReferDialogResult,
} from '../components/refer-dialog';
import { RevealDialog, type RevealDialogData } from '../components/reveal-dialog';
import {
  TransitionDialog,
  type TransitionDialogData,
  type TransitionDialogResult,
} from '../components/transition-dialog';
import { PersonStore } from '../data/person.store';
import * as labels from '../../../core/i18n/domain-labels';
import { ScrollIntoView } from '../../../core/ui/scroll-into-view';
import { IdentityValue } from '../../../core/cases/identity-value';

const IDENTITY_LABELS: Readonly<Record<IdentityField, string>> = {
  givenName: 'cases.identity.givenName',
  familyName: 'cases.identity.familyName',
  alias: 'cases.identity.alias',
  dateOfBirth: 'cases.identity.dateOfBirth',
  sex: 'cases.identity.sex',
  phone: 'cases.identity.phone',
};

/**
 * One person: code and categories, a timeline of contacts (with their needs) and referral steps,
 * and the deliberate "reveal identity" action. The page's state and requests are its
 * `PersonStore`'s (the page itself subscribes to nothing); revealed values live in that store's
 * memory only (never in the address, storage or a log) and are dropped when the page is left or
 * hidden.
 */
@Component({
  selector: 'app-person-page',
  imports: [
    ContactCorrection,
    ScrollIntoView,
    IdentityValue,
    DatePipe,
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    PersonConsents,
    PersonCorrections,
    PersonDisclosures,
    PersonFollowUps,
    PersonKeyWorkers,
    PersonOutcomes,
    PersonMergeLink,
    SubjectExport,
    RouterLink,
    TranslocoPipe,
  ],
  providers: [PersonStore],
  templateUrl: './person-page.html',
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonPage implements OnInit {
  private readonly store = inject(PersonStore);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);
  private readonly destroyRef = inject(DestroyRef);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly labels = labels;
  protected readonly identityLabels = IDENTITY_LABELS;
  protected readonly language = inject(LanguageService).active;
  protected readonly person = this.store.person;
  protected readonly referrals = this.store.referrals;
  protected readonly notes = this.store.notes;
  protected readonly loading = this.store.loading;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  protected readonly busy = this.store.busy;
  protected readonly receipt = this.store.receipt;
  protected readonly timeline = this.store.timeline;
  protected readonly partnerNames = this.store.partnerNames;
  protected readonly mayErase = computed(() => this.session.permissions().has('case:erase'));
  protected readonly mayWrite = computed(() => this.session.permissions().has('case:write'));
  /** What the key-workers panel says: may the caller read this person (null until it has). */
  protected readonly protectedAccess = signal<boolean | null>(null);
  /** A restricted person shows the code only, unless the caller is a key worker or coordinator. */
  protected readonly protectedReadable = computed(
    () => this.person()?.restricted !== true || this.protectedAccess() === true,
  );
  protected readonly mayReveal = computed(
    () => this.session.permissions().has('identity:reveal') && this.protectedReadable(),
  );
  protected readonly revealedFields = computed(() => {
    const identity = this.store.identity();
    if (identity === null) return [];
    return IDENTITY_FIELDS.filter((field) => identity[field] !== undefined).map((field) => ({
      field,
      value: identity[field] ?? '',
    }));
  });

  ngOnInit(): void {
    this.store.open(this.id());
  }

  protected reloadPerson(): void {
    this.store.reloadPerson();
  }

  protected reveal(): void {
    this.store.clearNotice();
    // The dialog sends the request itself and stays open on a refusal, to show it in place.
    this.dialog.open<RevealDialog, RevealDialogData, RevealRequest | null>(RevealDialog, {
      width: '480px',
      data: { submit: (request) => this.store.revealing(request) },
    });
  }

  /** Erasure at the person's request: confirmed with their code, then a step-up. */
  protected erase(): void {
    const person = this.person();
    if (person === null || this.busy()) return;
    this.store.clearNotice();
    whenDialogConfirms(
      this.dialog.open<EraseDialog, string, boolean>(EraseDialog, {
        data: person.code,
        role: 'alertdialog',
      }),
      this.destroyRef,
      () => this.store.erase(),
    );
  }

  protected hideIdentity(): void {
    this.store.hideIdentity();
  }

  protected readNote(contactId: string): void {
    this.store.readNote(contactId);
  }

  protected hideNote(contactId: string): void {
    this.store.hideNote(contactId);
  }

  protected nextNeedStatuses(need: NeedView): readonly NeedStatus[] {
    return NEED_TRANSITIONS[need.status];
  }

  protected changeNeed(need: NeedView, status: NeedStatus): void {
    this.store.changeNeed(need, status);
  }

  protected refer(need: NeedView): void {
    // The dialog sends the referral itself and stays open on a refusal, to show it in place.
    const data: ReferDialogData = {
      need,
      partners: this.store.partners().filter((partner) => partner.active),
      submit: (result) => this.store.referring(need, result),
    };
    this.dialog.open<ReferDialog, ReferDialogData, ReferDialogResult | null>(ReferDialog, {
      data,
      width: '560px',
    });
  }

  protected moveReferral(referral: ReferralView): void {
    // The dialog sends the move itself and stays open on a refusal, to show it in place.
    const data: TransitionDialogData = {
      referral,
      mayOverride: this.session.permissions().has('referral:override_consent'),
      submit: (result) => this.store.movingReferral(referral, result),
    };
    this.dialog.open<TransitionDialog, TransitionDialogData, TransitionDialogResult | null>(
      TransitionDialog,
      { data, width: '560px' },
    );
  }
}
