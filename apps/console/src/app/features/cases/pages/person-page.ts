import type { OnDestroy, OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
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
  type ContactView,
  type ErasureReceipt,
  type IdentityField,
  type NeedStatus,
  type NeedView,
  type PartnerView,
  type PersonIdentityInput,
  type PersonView,
  type ReferralView,
  type RevealRequest,
} from '@harbour/domain';
import { filter, forkJoin, switchMap, type Observable } from 'rxjs';
import { SessionStore } from '../../../core/auth/session.store';
import { StepUpService } from '../../../core/auth/step-up.service';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { EraseDialog } from '../components/erase-dialog';
import { PersonConsents } from '../components/person-consents';
import {
  ReferDialog,
  type ReferDialogData,
  type ReferDialogResult,
} from '../components/refer-dialog';
import { RevealDialog } from '../components/reveal-dialog';
import {
  TransitionDialog,
  type TransitionDialogData,
  type TransitionDialogResult,
} from '../components/transition-dialog';
import { CasesApi, newIdempotencyKey } from '../data/cases.api';
import * as labels from '../../../core/i18n/domain-labels';
import { buildTimeline } from '../data/timeline';

/** Contacts shown on a person's page (the API's page size limit). */
const CONTACTS_SHOWN = 200;

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
 * and the deliberate "reveal identity" action. Revealed values live in this page's memory only
 * (never in the address, storage or a log) and are dropped when the page is left or hidden.
 */
@Component({
  selector: 'app-person-page',
  imports: [
    DatePipe,
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    PersonConsents,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './person-page.html',
  styleUrl: './cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonPage implements OnInit, OnDestroy {
  private readonly api = inject(CasesApi);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);
  private readonly stepUp = inject(StepUpService);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly labels = labels;
  protected readonly identityLabels = IDENTITY_LABELS;
  protected readonly language = inject(LanguageService).active;
  protected readonly person = signal<PersonView | null>(null);
  protected readonly contacts = signal<readonly ContactView[]>([]);
  protected readonly referrals = signal<readonly ReferralView[]>([]);
  protected readonly partners = signal<readonly PartnerView[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly identity = signal<PersonIdentityInput | null>(null);
  protected readonly busy = signal(false);
  protected readonly receipt = signal<ErasureReceipt | null>(null);
  protected readonly mayErase = computed(() => this.session.permissions().has('case:erase'));

  protected readonly mayWrite = computed(() => this.session.permissions().has('case:write'));
  protected readonly mayReveal = computed(() => this.session.permissions().has('identity:reveal'));
  protected readonly timeline = computed(() => buildTimeline(this.contacts(), this.referrals()));
  protected readonly partnerNames = computed(
    () => new Map(this.partners().map((partner) => [partner.id, partner.name])),
  );
  /** Referrals by the need they are for, to show next to the need. */
  protected readonly referralsByNeed = computed(() => {
    const byNeed = new Map<string, ReferralView[]>();
    for (const referral of this.referrals())
      byNeed.set(referral.needId, [...(byNeed.get(referral.needId) ?? []), referral]);
    return byNeed;
  });
  protected readonly revealedFields = computed(() => {
    const identity = this.identity();
    if (identity === null) return [];
    return IDENTITY_FIELDS.filter((field) => identity[field] !== undefined).map((field) => ({
      field,
      value: identity[field] ?? '',
    }));
  });

  ngOnInit(): void {
    this.load();
  }

  ngOnDestroy(): void {
    this.identity.set(null);
  }

  protected load(): void {
    const id = this.id();
    this.loading.set(true);
    this.error.set(null);
    forkJoin({
      person: this.api.person(id),
      contacts: this.api.contacts({ person: id, limit: CONTACTS_SHOWN }),
      referrals: this.api.referrals({ person: id }),
      partners: this.api.partners(),
    }).subscribe({
      next: ({ person, contacts, referrals, partners }) => {
        this.person.set(person);
        this.contacts.set(contacts.items);
        this.referrals.set(referrals);
        this.partners.set(partners);
      },
      error: (error: unknown) => {
        this.error.set(appErrorOf(error));
        this.loading.set(false);
      },
      complete: () => this.loading.set(false),
    });
  }

  /** The reporting flag follows an aggregate-reporting consent: show the person as it is now. */
  protected reloadPerson(): void {
    this.api.person(this.id()).subscribe({
      next: (person) => this.person.set(person),
      error: (error: unknown) => this.error.set(appErrorOf(error)),
    });
  }

  protected reveal(): void {
    this.notice.set(null);
    this.dialog
      .open<RevealDialog, void, RevealRequest | null>(RevealDialog, { width: '480px' })
      .afterClosed()
      .pipe(
        filter((request): request is RevealRequest => request !== null && request !== undefined),
        switchMap((request) => this.api.reveal(this.id(), request)),
      )
      .subscribe({
        next: (response) => this.identity.set(response.identity),
        error: (error: unknown) => this.error.set(appErrorOf(error)),
      });
  }

  /** Erasure at the person's request: confirmed with their code, then a step-up. */
  protected erase(): void {
    const person = this.person();
    if (person === null || this.busy()) return;
    this.notice.set(null);
    this.dialog
      .open<EraseDialog, string, boolean>(EraseDialog, { data: person.code, role: 'alertdialog' })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.busy.set(true);
          return this.stepUp.run((context) => this.api.erase(person.id, person.version, context), {
            required: true,
          });
        }),
      )
      .subscribe({
        next: (receipt) => {
          this.identity.set(null);
          this.receipt.set(receipt);
        },
        error: (error: unknown) => {
          const failure = appErrorOf(error);
          if (failure.code === 'version_conflict') this.notice.set('cases.person.conflict');
          else this.error.set(failure);
          this.busy.set(false);
          this.load();
        },
        complete: () => {
          this.busy.set(false);
          this.load();
        },
      });
  }

  protected hideIdentity(): void {
    this.identity.set(null);
  }

  protected nextNeedStatuses(need: NeedView): readonly NeedStatus[] {
    return NEED_TRANSITIONS[need.status];
  }

  protected changeNeed(need: NeedView, status: NeedStatus): void {
    this.run(
      this.api.updateNeed(need.id, { version: need.version, status }),
      'cases.person.needUpdated',
    );
  }

  protected refer(need: NeedView): void {
    const data: ReferDialogData = {
      need,
      partners: this.partners().filter((partner) => partner.active),
    };
    this.dialog
      .open<ReferDialog, ReferDialogData, ReferDialogResult | null>(ReferDialog, {
        data,
        width: '560px',
      })
      .afterClosed()
      .pipe(
        filter((result): result is ReferDialogResult => result !== null && result !== undefined),
      )
      .subscribe((result) => {
        const created = this.api.createReferral(
          { needId: need.id, partnerId: result.partnerId },
          newIdempotencyKey(),
        );
        const consent = result.consent;
        this.run(
          consent === undefined
            ? created
            : created.pipe(
                switchMap((referral) =>
                  this.api.transition(referral.id, {
                    version: referral.version,
                    to: 'consented',
                    consent,
                  }),
                ),
              ),
          'cases.person.referralCreated',
        );
      });
  }

  protected moveReferral(referral: ReferralView): void {
    const data: TransitionDialogData = {
      referral,
      mayOverride: this.session.permissions().has('referral:override_consent'),
    };
    this.dialog
      .open<TransitionDialog, TransitionDialogData, TransitionDialogResult | null>(
        TransitionDialog,
        { data, width: '560px' },
      )
      .afterClosed()
      .pipe(
        filter(
          (result): result is TransitionDialogResult => result !== null && result !== undefined,
        ),
      )
      .subscribe((result) =>
        this.run(
          this.api.transition(referral.id, { ...result, version: referral.version }),
          'cases.person.referralMoved',
        ),
      );
  }

  /** One change, then a reload of the page's records (a conflict also reloads, and says so). */
  private run(change: Observable<unknown>, doneKey: string): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.notice.set(null);
    this.error.set(null);
    change.subscribe({
      next: () => this.notice.set(doneKey),
      error: (error: unknown) => {
        const failure = appErrorOf(error);
        if (failure.code === 'version_conflict') this.notice.set('cases.person.conflict');
        else this.error.set(failure);
        this.busy.set(false);
        this.load();
      },
      complete: () => {
        this.busy.set(false);
        this.load();
      },
    });
  }
}
