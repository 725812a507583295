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
import type { FormControl, FormGroup } from '@angular/forms';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
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
  MAX_IDENTITY_TEXT_LENGTH,
  MAX_INTAKE_PEOPLE,
  MAX_NOTES_LENGTH,
  NEED_CATEGORIES,
  type AgeBand,
  type BulkIntakeRequest,
  type FieldError,
  type Circumstance,
  type ContactChannel,
  type GenderIdentity,
  type IntakePerson,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type RegionOfOrigin,
  type SlkSex,
} from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import {
  applyFieldErrors,
  dateInRange,
  fieldNameKey,
  type PathAliases,
} from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { DraftNotice } from '../../../core/drafts/draft-notice';
import { FormDrafts } from '../../../core/drafts/form-drafts';
import { Connectivity } from '../../../core/device/connectivity';
import { DeviceVault } from '../../../core/device/device-vault';
import { OutboxService } from '../../../core/device/outbox.service';
import { required } from '../../../core/forms/validators';
import type { AppError } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { PersonFields } from '../../../core/cases/person-fields';
import { identityInput } from '../../../core/cases/identity-input';
import * as labels from '../../../core/i18n/domain-labels';
import { localIsoDate } from '../../../core/cases/local-date';
import { IntakeStore } from '../data/intake.store';
import { ScrollIntoView } from '../../../core/ui/scroll-into-view';

/** A row's identity fields sit in the row itself (`people.2.identity.alias` → `people.2.alias`). */
export const INTAKE_PATHS: PathAliases = { 'people.*.identity': 'people.*' };
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { PluralPipe, type PluralKeys } from '../../../core/i18n/plural.pipe';

type PersonRow = FormGroup<{
  givenName: FormControl<string>;
  familyName: FormControl<string>;
  alias: FormControl<string>;
  dateOfBirth: FormControl<string>;
  sex: FormControl<SlkSex | null>;
  ageBand: FormControl<AgeBand | null>;
  regionOfOrigin: FormControl<RegionOfOrigin | null>;
  languageGroup: FormControl<LanguageGroup | null>;
  genderIdentity: FormControl<GenderIdentity | null>;
  needs: FormControl<NeedCategory[]>;
  notes: FormControl<string>;
}>;

/**
 * Post-raid intake (docs/design.md §11): everyone met at one event, each as a person (identity
 * optional) with their own contact and needs, saved in one transaction — all or nothing. A
 * refusal names the rows to fix, and nothing is saved until every row is right.
 */
@Component({
  selector: 'app-intake-page',
  imports: [
    FieldErrorPipe,
    DraftNotice,
    FormError,
    ScrollIntoView,
    MatButtonModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    NumberPipe,
    PersonFields,
    PluralPipe,
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
  ],
  providers: [IntakeStore],
  templateUrl: './intake-page.html',
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IntakePage implements OnInit {
  private readonly store = inject(IntakeStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly today = signal(localIsoDate(inject(Clock).now()));

  protected readonly language = inject(LanguageService).active;
  protected readonly savedKeys: PluralKeys = {
    one: 'cases.intake.saved.one',
    other: 'cases.intake.saved.other',
  };
  private readonly deviceOutbox = inject(OutboxService);
  private readonly online = inject(Connectivity).online;

  /** `?outbox=<id>`: an intake saved on this device that the API refused, opened to fix. */
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
  protected readonly maxPeople = MAX_INTAKE_PEOPLE;

  protected readonly form = this.fb.group({
    event: this.fb.group({
      occurredOn: [this.today(), [required, dateInRange(() => this.today())]],
      channel: this.fb.control<ContactChannel>('in_person'),
      locationType: this.fb.control<LocationType | null>(null, required),
      circumstances: this.fb.control<Circumstance[]>(['post_raid']),
      interpreterUsed: false,
      peerLed: false,
    }),
    people: this.fb.array<PersonRow>([this.row()]),
  });
  protected readonly saving = this.store.saving;
  protected readonly error = this.store.error;
  protected readonly refused = this.store.refused;
  /** Refused fields that no control of the form shows (named in words in the banner). */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);
  protected readonly fieldNameKey = fieldNameKey;

  constructor() {
    effect(() => {
      const failure = this.error();
      untracked(() => this.showRefusal(failure));
    });
  }

  /** A refusal goes on the controls it names, row by row; the rest goes to the banner. */
  private showRefusal(failure: AppError | null): void {
    if (failure?.code !== 'validation_failed') {
      this.unmatched.set(null);
      return;
    }
    this.unmatched.set(applyFieldErrors(this.form, failure.details.fields ?? [], INTAKE_PATHS));
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }
  protected readonly recorded = this.store.recorded;
  /** Kept encrypted on the device as the worker types; offered again after a session ends. */
  protected readonly draft = inject(FormDrafts).attach({
    id: 'intake',
    form: this.form,
    restore: (values) => {
      this.setRowCount(values.people.length);
      this.form.patchValue(values);
    },
    reset: () => {
      this.form.reset();
      this.setRowCount(1);
    },
  });

  protected get rows(): PersonRow[] {
    return this.form.controls.people.controls;
  }

  protected addPerson(): void {
    if (this.rows.length >= MAX_INTAKE_PEOPLE) return;
    this.form.controls.people.push(this.row());
    this.changed();
  }

  protected removePerson(index: number): void {
    if (this.rows.length <= 1) return;
    this.form.controls.people.removeAt(index);
    this.store.forgetRefusals();
    this.changed();
  }

  ngOnInit(): void {
    const id = this.outbox();
    if (id !== undefined && id !== '') void this.reopen(id);
  }

  protected save(): void {
    if (this.saving()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    this.keptOnDevice.set(false);
    this.store.save(this.request(), () => {
      const reopened = this.reopened();
      this.reopened.set(null);
      if (reopened !== null) void this.deviceOutbox.resolved(reopened);
      this.clearPeople();
      void this.draft.recorded();
    });
  }

  /** "Save on this device": sealed in the outbox, sent when the connection returns. */
  protected async saveOnDevice(): Promise<void> {
    if (this.saving() || !this.deviceReady()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    await this.deviceOutbox.capture(this.store.deviceSubmission(this.request()));
    const reopened = this.reopened();
    this.reopened.set(null);
    if (reopened !== null) await this.deviceOutbox.discard(reopened);
    this.store.keptOnDevice();
    this.clearPeople();
    void this.draft.recorded();
    this.keptOnDevice.set(true);
  }

  private clearPeople(): void {
    this.form.controls.people.clear();
    this.form.controls.people.push(this.row());
  }

  /** Fills the form from an outbox entry the API refused (decrypted from this device). */
  private async reopen(id: string): Promise<void> {
    const entry = await this.deviceOutbox.entry(id).catch(() => null);
    if (entry?.submission.kind !== 'intake') return;
    this.reopened.set(id);
    const { event, people } = entry.submission.request;
    this.form.controls.event.patchValue({
      occurredOn: event.occurredOn,
      channel: event.channel,
      locationType: event.locationType,
      circumstances: [...(event.circumstances ?? [])],
      interpreterUsed: event.interpreterUsed ?? false,
      peerLed: event.peerLed ?? false,
    });
    this.form.controls.people.clear();
    for (const person of people) {
      const row = this.row();
      row.patchValue({
        givenName: person.identity?.givenName ?? '',
        familyName: person.identity?.familyName ?? '',
        alias: person.identity?.alias ?? '',
        dateOfBirth: person.identity?.dateOfBirth ?? '',
        sex: person.identity?.sex ?? null,
        ageBand: person.ageBand ?? null,
        regionOfOrigin: person.regionOfOrigin ?? null,
        languageGroup: person.languageGroup ?? null,
        genderIdentity: person.genderIdentity ?? null,
        needs: (person.needs ?? []).map((need) => need.category),
        notes: person.notes ?? '',
      });
      this.form.controls.people.push(row);
    }
    this.changed();
  }

  /** A changed intake is a new submission: it gets a new idempotency key. */
  protected changed(): void {
    this.store.changed();
  }

  private setRowCount(count: number): void {
    const people = this.form.controls.people;
    const wanted = Math.min(Math.max(count, 1), MAX_INTAKE_PEOPLE);
    while (people.length > wanted) people.removeAt(people.length - 1);
    while (people.length < wanted) people.push(this.row());
  }

  private row(): PersonRow {
    const text = (): FormControl<string> =>
      this.fb.control('', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH));
    return this.fb.group({
      givenName: text(),
      familyName: text(),
      alias: text(),
      dateOfBirth: this.fb.control(
        '',
        dateInRange(() => this.today()),
      ),
      sex: this.fb.control<SlkSex | null>(null),
      ageBand: this.fb.control<AgeBand | null>(null),
      regionOfOrigin: this.fb.control<RegionOfOrigin | null>(null),
      languageGroup: this.fb.control<LanguageGroup | null>(null),
      genderIdentity: this.fb.control<GenderIdentity | null>(null),
      needs: this.fb.control<NeedCategory[]>([]),
      notes: this.fb.control('', Validators.maxLength(MAX_NOTES_LENGTH)),
    });
  }

  private request(): BulkIntakeRequest {
    const { event, people } = this.form.getRawValue();
    return {
      event: {
        occurredOn: event.occurredOn,
        channel: event.channel,
        locationType: event.locationType ?? 'other',
        circumstances: event.circumstances,
        interpreterUsed: event.interpreterUsed,
        peerLed: event.peerLed,
      },
      people: people.map((row): IntakePerson => {
        const identity = identityInput(row);
        const notes = row.notes.trim();
        return {
          ...(identity !== undefined ? { identity } : {}),
          ...(row.ageBand !== null ? { ageBand: row.ageBand } : {}),
          ...(row.regionOfOrigin !== null ? { regionOfOrigin: row.regionOfOrigin } : {}),
          ...(row.languageGroup !== null ? { languageGroup: row.languageGroup } : {}),
          ...(row.genderIdentity !== null ? { genderIdentity: row.genderIdentity } : {}),
          ...(notes !== '' ? { notes } : {}),
          needs: row.needs.map((category) => ({ category })),
        };
      }),
    };
  }
}
