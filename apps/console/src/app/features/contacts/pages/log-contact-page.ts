import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_GROUP_HEADCOUNT,
  MAX_IDENTITY_TEXT_LENGTH,
  MAX_NOTES_LENGTH,
  NEED_CATEGORIES,
  type AgeBand,
  type Circumstance,
  type ContactChannel,
  type ContactKind,
  type CreateContactRequest,
  type CreatePersonRequest,
  type DuplicateCandidate,
  type FieldError,
  type GenderIdentity,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type RegionOfOrigin,
  type SlkSex,
} from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors, dateInRange, type PathAliases } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { DraftNotice } from '../../../core/drafts/draft-notice';
import { FormDrafts } from '../../../core/drafts/form-drafts';
import { Connectivity } from '../../../core/device/connectivity';
import { DeviceVault } from '../../../core/device/device-vault';
import type { OutboxEntry } from '../../../core/device/outbox';
import { OutboxService } from '../../../core/device/outbox.service';
import { required } from '../../../core/forms/validators';
import type { AppError } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { LogContactStore, type ContactPerson } from '../data/log-contact.store';
import { DuplicateWarning } from '../../../core/cases/duplicate-warning';
import { PersonFields } from '../../../core/cases/person-fields';
import { identityInput } from '../../../core/cases/identity-input';
import * as labels from '../../../core/i18n/domain-labels';
import { localIsoDate } from '../../../core/cases/local-date';
import { ScrollIntoView } from '../../../core/ui/scroll-into-view';

/**
 * Where the API's paths live in this form: the new person is sent first, with its identity and
 * categories, and its fields sit in `newPerson`.
 */
export const LOG_CONTACT_PATHS: PathAliases = {
  identity: 'newPerson',
  ageBand: 'newPerson.ageBand',
  regionOfOrigin: 'newPerson.regionOfOrigin',
  genderIdentity: 'newPerson.genderIdentity',
  consentToReporting: 'newPerson.consentToReporting',
};

/** Who an individual contact is with. */
type PersonChoice = 'anonymous' | 'new' | 'existing';

/**
 * "Log a contact" (docs/design.md §3): one column, the common choices as large chips, everything but
 * the date, channel and place optional, so that a contact takes well under a minute on a
 * phone. Individual contacts are anonymous, with a new person (identity optional, encrypted by
 * the API) or with a returning person found first (`?person=<id>`). After saving, the date,
 * channel and place stay for the next contact of the same shift.
 */
@Component({
  selector: 'app-log-contact-page',
  imports: [
    DraftNotice,
    DuplicateWarning,
    FieldErrorPipe,
    FormError,
    ScrollIntoView,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    PersonFields,
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
  ],
  providers: [LogContactStore],
  templateUrl: './log-contact-page.html',
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogContactPage implements OnInit {
  private readonly store = inject(LogContactStore);
  private readonly clock = inject(Clock);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly deviceOutbox = inject(OutboxService);
  private readonly online = inject(Connectivity).online;

  /** `?person=<id>`: a returning person, found on the find page. */
  readonly person = input<string | undefined>();
  /** `?outbox=<id>`: an entry saved on this device that the API refused, opened to fix. */
  readonly outbox = input<string | undefined>();

  /** The device vault is unlocked: work can be kept on this device (docs/adr/0012). */
  protected readonly deviceReady = inject(DeviceVault).ready;
  /** No connection, or the last attempt got no answer: offer to keep it on the device. */
  protected readonly offerDevice = computed(
    () => !this.online() || this.store.error()?.code === 'network_error',
  );
  protected readonly keptOnDevice = signal(false);
  /** The outbox entry this form was opened from (replaced or resolved by saving). */
  protected readonly reopened = signal<string | null>(null);

  protected readonly labels = labels;
  protected readonly channels = CONTACT_CHANNELS;
  protected readonly locations = LOCATION_TYPES;
  protected readonly circumstanceOptions = CIRCUMSTANCES;
  protected readonly needOptions = NEED_CATEGORIES;
  protected readonly languages = LANGUAGE_GROUPS;
  protected readonly maxHeadcount = MAX_GROUP_HEADCOUNT;
  protected readonly today = signal(localIsoDate(this.clock.now()));

  protected readonly existing = this.store.existing;
  protected readonly saving = this.store.saving;
  protected readonly error = this.store.error;
  protected readonly saved = this.store.saved;
  /** Refused fields that no control of the form shows (named in words in the banner). */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  /** Likely existing people for the new person, with "Use this person" / "Create anyway". */
  protected readonly duplicates = this.store.duplicates;

  protected readonly form = this.fb.group({
    kind: this.fb.control<ContactKind>('individual'),
    personChoice: this.fb.control<PersonChoice>('anonymous'),
    headcount: this.fb.control<number | null>(null),
    occurredOn: [this.today(), [required, dateInRange(() => this.today())]],
    channel: this.fb.control<ContactChannel | null>('in_person', required),
    locationType: this.fb.control<LocationType | null>(null, required),
    languageGroup: this.fb.control<LanguageGroup | null>(null),
    interpreterUsed: false,
    peerLed: false,
    circumstances: this.fb.control<Circumstance[]>([]),
    needs: this.fb.control<NeedCategory[]>([]),
    notes: ['', Validators.maxLength(MAX_NOTES_LENGTH)],
    newPerson: this.fb.group({
      givenName: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      familyName: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      alias: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      dateOfBirth: ['', dateInRange(() => this.today())],
      sex: this.fb.control<SlkSex | null>(null),
      phone: ['', Validators.maxLength(40)],
      ageBand: this.fb.control<AgeBand | null>(null),
      regionOfOrigin: this.fb.control<RegionOfOrigin | null>(null),
      genderIdentity: this.fb.control<GenderIdentity | null>(null),
      consentToReporting: false,
    }),
  });

  protected readonly kind = toSignal(this.form.controls.kind.valueChanges, {
    initialValue: this.form.controls.kind.value,
  });
  protected readonly personChoice = toSignal(this.form.controls.personChoice.valueChanges, {
    initialValue: this.form.controls.personChoice.value,
  });
  protected readonly notesLength = toSignal(this.form.controls.notes.valueChanges, {
    initialValue: '',
  });
  protected readonly maxNotes = MAX_NOTES_LENGTH;
  protected readonly isGroup = computed(() => this.kind() === 'group');
  /** Kept encrypted on the device as the worker types; offered again after a session ends. */
  protected readonly draft = inject(FormDrafts).attach({
    id: 'contact',
    form: this.form,
    restore: (values) => {
      // A returning person comes from the address (`?person=`), never from the draft.
      const returning = (this.person() ?? '') !== '';
      const choice = values.personChoice === 'existing' ? 'anonymous' : values.personChoice;
      this.form.patchValue({ ...values, personChoice: returning ? 'existing' : choice });
    },
    reset: () => {
      const returning = (this.person() ?? '') !== '';
      this.form.reset({ personChoice: returning ? 'existing' : 'anonymous' });
    },
  });

  constructor() {
    effect(() => {
      const failure = this.error();
      untracked(() => this.showRefusal(failure));
    });
  }

  /** A refusal goes on the controls it names; what none of them takes goes to the banner. */
  private showRefusal(failure: AppError | null): void {
    if (failure?.code !== 'validation_failed') {
      this.unmatched.set(null);
      return;
    }
    this.unmatched.set(
      applyFieldErrors(this.form, failure.details.fields ?? [], LOG_CONTACT_PATHS),
    );
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }

  ngOnInit(): void {
    const outboxId = this.outbox();
    if (outboxId !== undefined && outboxId !== '') {
      void this.reopen(outboxId);
      return;
    }
    const id = this.person();
    if (id === undefined || id === '') return;
    this.form.controls.personChoice.setValue('existing');
    this.store.openFor(id);
  }

  protected save(): void {
    if (this.saving()) return;
    const person = this.validPerson();
    if (person === null) return;
    this.keptOnDevice.set(false);
    this.store.save(
      person,
      (personId) => this.contactRequest(personId),
      () => {
        const reopened = this.reopened();
        this.reopened.set(null);
        if (reopened !== null) void this.deviceOutbox.resolved(reopened);
        this.reset();
        void this.draft.recorded();
      },
    );
  }

  /** "Save on this device": sealed in the outbox, sent when the connection returns. */
  protected async saveOnDevice(): Promise<void> {
    if (this.saving() || !this.deviceReady()) return;
    const person = this.validPerson();
    if (person === null) return;
    const submission = this.store.deviceSubmission(person, (id) => this.contactRequest(id));
    await this.deviceOutbox.capture(submission);
    const reopened = this.reopened();
    this.reopened.set(null);
    if (reopened !== null) await this.deviceOutbox.discard(reopened);
    this.store.keptOnDevice();
    this.reset();
    void this.draft.recorded();
    this.keptOnDevice.set(true);
  }

  /** Who the contact is with, when the form is valid; null (fields marked) otherwise. */
  private validPerson(): ContactPerson | null {
    this.form.markAllAsTouched();
    const headcount = this.form.controls.headcount.value;
    if (
      this.isGroup() &&
      (headcount === null || headcount < 2 || headcount > MAX_GROUP_HEADCOUNT)
    ) {
      this.form.controls.headcount.setErrors({ range: true });
    }
    if (this.form.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return null;
    }
    return this.contactPerson();
  }

  /** Fills the form from an outbox entry the API refused (decrypted from this device). */
  private async reopen(id: string): Promise<void> {
    const entry = await this.deviceOutbox.entry(id).catch(() => null);
    if (entry?.submission.kind !== 'contact') return;
    this.reopened.set(id);
    this.fill(entry);
  }

  private fill(entry: OutboxEntry): void {
    if (entry.submission.kind !== 'contact') return;
    const { contact, person } = entry.submission;
    this.form.patchValue({
      kind: contact.kind ?? 'individual',
      headcount: contact.headcount ?? null,
      occurredOn: contact.occurredOn,
      channel: contact.channel,
      locationType: contact.locationType,
      languageGroup: contact.languageGroup ?? null,
      interpreterUsed: contact.interpreterUsed ?? false,
      peerLed: contact.peerLed ?? false,
      circumstances: [...(contact.circumstances ?? [])],
      needs: (contact.needs ?? []).map((need) => need.category),
      notes: contact.notes ?? '',
    });
    const personId = contact.personId ?? entry.createdPersonId;
    // The person was erased or merged meanwhile: the worker chooses who the contact is with.
    if (entry.problem?.fields.includes('personId') === true) return;
    if (personId !== null && personId !== undefined) {
      this.form.controls.personChoice.setValue('existing');
      this.store.openFor(personId);
    } else if (person !== null) {
      const { identity, ...rest } = person.request;
      this.form.controls.personChoice.setValue('new');
      this.form.controls.newPerson.patchValue({
        givenName: identity?.givenName ?? '',
        familyName: identity?.familyName ?? '',
        alias: identity?.alias ?? '',
        dateOfBirth: identity?.dateOfBirth ?? '',
        sex: identity?.sex ?? null,
        phone: identity?.phone ?? '',
        ageBand: rest.ageBand ?? null,
        regionOfOrigin: rest.regionOfOrigin ?? null,
        genderIdentity: rest.genderIdentity ?? null,
        consentToReporting: rest.consentToReporting ?? false,
      });
    }
  }

  protected useDuplicate(candidate: DuplicateCandidate): void {
    this.form.controls.personChoice.setValue('existing');
    this.store.useCandidate(candidate);
  }

  protected createAnyway(): void {
    this.store.createAnyway();
  }

  /** Who the contact is with, or null when a returning person was asked for but is not known. */
  private contactPerson(): ContactPerson | null {
    if (this.isGroup()) return { kind: 'none' };
    const choice = this.personChoice();
    if (choice === 'anonymous') return { kind: 'none' };
    if (choice === 'new') return { kind: 'new', request: this.personRequest() };
    const existing = this.existing();
    return existing === null ? null : { kind: 'existing', person: existing };
  }

  private personRequest(): CreatePersonRequest {
    const value = this.form.controls.newPerson.getRawValue();
    const identity = identityInput(value);
    const language = this.form.controls.languageGroup.value;
    return {
      ...(identity !== undefined ? { identity } : {}),
      ...(value.ageBand !== null ? { ageBand: value.ageBand } : {}),
      ...(value.regionOfOrigin !== null ? { regionOfOrigin: value.regionOfOrigin } : {}),
      ...(value.genderIdentity !== null ? { genderIdentity: value.genderIdentity } : {}),
      ...(language !== null ? { languageGroup: language } : {}),
      consentToReporting: value.consentToReporting,
    };
  }

  private contactRequest(personId: string | null): CreateContactRequest {
    const value = this.form.getRawValue();
    const group = value.kind === 'group';
    const notes = value.notes.trim();
    return {
      kind: value.kind,
      ...(group ? { headcount: value.headcount ?? 0 } : {}),
      ...(!group && personId !== null ? { personId } : {}),
      occurredOn: value.occurredOn,
      channel: value.channel ?? 'in_person',
      locationType: value.locationType ?? 'other',
      ...(value.languageGroup !== null ? { languageGroup: value.languageGroup } : {}),
      interpreterUsed: value.interpreterUsed,
      peerLed: value.peerLed,
      circumstances: value.circumstances,
      needs: value.needs.map((category) => ({ category })),
      ...(notes !== '' ? { notes } : {}),
    };
  }

  /** Ready for the next contact: the date, channel and place of this shift stay. */
  private reset(): void {
    const { occurredOn, channel, locationType, kind } = this.form.getRawValue();
    this.form.reset({ occurredOn, channel, locationType, kind, personChoice: 'anonymous' });
  }
}
