import { HttpClient, type HttpContext } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import { EMPTY, switchMap } from 'rxjs';
import {
  MAX_SUBJECT_EXPORT_PURPOSE_LENGTH,
  MIN_SUBJECT_EXPORT_PURPOSE_LENGTH,
  SUBJECT_EXPORT_FORMATS,
  subjectExportLanguageFor,
  type PersonView,
  type SubjectExportFormat,
  type SubjectExportLanguage,
  type SubjectExportRequest,
} from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { StepUpService } from '../../../core/auth/step-up.service';
import { LANGUAGES } from '../../../core/i18n/languages';
import { FileDownload } from '../../../core/ui/file-download';

// Translation keys written out in full, so that the translation check sees every one of them.
const FORMAT_KEYS: Readonly<Record<SubjectExportFormat, string>> = {
  json: 'subjectExport.formats.json',
  html: 'subjectExport.formats.html',
};

/** A readable document by default: what most people asking for their data can open. */
const DEFAULT_FORMAT: SubjectExportFormat = 'html';

const TYPES: Readonly<Record<SubjectExportFormat, string>> = {
  json: 'application/json',
  html: 'text/html',
};

/** What the dialog asks: the export (with a purpose), or the erasure receipt (without). */
export interface SubjectExportDialogData {
  readonly code: string;
  readonly language: SubjectExportLanguage;
  readonly receipt: boolean;
}

export type SubjectExportChoice = Omit<SubjectExportRequest, 'purpose'> & { purpose?: string };

/**
 * Language (proposed from the person's language group), format and — for the person's own
 * data — why it is exported. Closes with the choice, or nothing when cancelled.
 */
@Component({
  selector: 'app-subject-export-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>
      {{
        (data.receipt ? 'subjectExport.receiptTitle' : 'subjectExport.title')
          | transloco: { code: data.code }
      }}
    </h2>
    <mat-dialog-content>
      <p>
        {{ (data.receipt ? 'subjectExport.receiptExplain' : 'subjectExport.explain') | transloco }}
      </p>
      <mat-form-field appearance="outline" class="full">
        <mat-label>{{ 'subjectExport.language' | transloco }}</mat-label>
        <mat-select [formControl]="form.controls.language" data-testid="subject-export-language">
          @for (l of languages; track l.code) {
            <mat-option [value]="l.code">{{ l.nativeName }}</mat-option>
          }
        </mat-select>
        <mat-hint>{{ 'subjectExport.languageHint' | transloco }}</mat-hint>
      </mat-form-field>
      <p id="subject-export-format">{{ 'subjectExport.format' | transloco }}</p>
      <mat-radio-group
        [formControl]="form.controls.format"
        aria-labelledby="subject-export-format"
        data-testid="subject-export-format"
      >
        @for (f of formats; track f) {
          <mat-radio-button [value]="f">{{ formatKeys[f] | transloco }}</mat-radio-button>
        }
      </mat-radio-group>
      @if (!data.receipt) {
        <mat-form-field appearance="outline" class="full">
          <mat-label>{{ 'subjectExport.purpose' | transloco }}</mat-label>
          <textarea
            matInput
            rows="3"
            [formControl]="form.controls.purpose"
            [maxlength]="maxPurpose"
            data-testid="subject-export-purpose"
          ></textarea>
          <mat-hint>{{ 'subjectExport.purposeHint' | transloco: { min: minPurpose } }}</mat-hint>
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="undefined">
        {{ 'common.cancel' | transloco }}
      </button>
      <button
        mat-flat-button
        type="button"
        data-testid="subject-export-confirm"
        [disabled]="!ready()"
        [mat-dialog-close]="choice()"
      >
        {{ 'subjectExport.download' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .full {
      width: 100%;
    }
    mat-radio-group {
      display: flex;
      flex-direction: column;
      margin-bottom: 16px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'subject-export-dialog' },
})
export class SubjectExportDialog {
  protected readonly data = inject<SubjectExportDialogData>(MAT_DIALOG_DATA);
  protected readonly languages = LANGUAGES;
  protected readonly formats = SUBJECT_EXPORT_FORMATS;
  protected readonly formatKeys = FORMAT_KEYS;
  protected readonly minPurpose = MIN_SUBJECT_EXPORT_PURPOSE_LENGTH;
  protected readonly maxPurpose = MAX_SUBJECT_EXPORT_PURPOSE_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    language: this.data.language,
    format: DEFAULT_FORMAT,
    purpose: '',
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.value });
  protected readonly ready = computed(
    () =>
      this.data.receipt ||
      (this.value().purpose ?? '').trim().length >= MIN_SUBJECT_EXPORT_PURPOSE_LENGTH,
  );
  protected readonly choice = computed((): SubjectExportChoice => {
    const v = { ...this.form.getRawValue(), ...this.value() };
    return this.data.receipt
      ? { language: v.language, format: v.format }
      : { language: v.language, format: v.format, purpose: v.purpose.trim() };
  });
}

/**
 * On a person's page, for coordinators: "Export this person's data" (everything held about
 * them, as a file in their language, with step-up), or, once they were erased, "Download
 * erasure receipt". The file is saved straight from memory; nothing is kept in the browser.
 */
@Component({
  selector: 'app-subject-export',
  imports: [MatButtonModule, TranslocoPipe],
  template: `
    @if (mayExport()) {
      <div class="subject-export">
        <button
          mat-stroked-button
          type="button"
          [disabled]="busy()"
          (click)="open()"
          [attr.data-testid]="erased() ? 'erasure-receipt-download' : 'subject-export-open'"
        >
          {{ (erased() ? 'subjectExport.receiptButton' : 'subjectExport.button') | transloco }}
        </button>
      </div>
    }
  `,
  styles: `
    .subject-export {
      margin: 12px 0;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SubjectExport {
  readonly person = input.required<PersonView>();

  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionStore);
  private readonly stepUp = inject(StepUpService);
  private readonly dialog = inject(MatDialog);
  private readonly download = inject(FileDownload);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly destroyRef = inject(DestroyRef);

  /** Coordinators only (the API's rule: `case:erase`); a merged record has nothing of its own. */
  protected readonly mayExport = computed(
    () =>
      this.session.permissions().has('case:erase') && (this.person().mergedInto ?? null) === null,
  );
  protected readonly erased = computed(() => this.person().erasedAt !== null);
  protected readonly busy = signal(false);

  protected open(): void {
    const person = this.person();
    const receipt = this.erased();
    const data: SubjectExportDialogData = {
      code: person.code,
      language: subjectExportLanguageFor(person.languageGroup),
      receipt,
    };
    this.dialog
      .open<SubjectExportDialog, SubjectExportDialogData, SubjectExportChoice | undefined>(
        SubjectExportDialog,
        { data },
      )
      .afterClosed()
      .pipe(
        switchMap((choice) => {
          if (choice === undefined) return EMPTY;
          this.busy.set(true);
          return this.stepUp
            .run((context) => this.fetch(person.id, choice, receipt, context), { required: true })
            .pipe(switchMap((content) => [{ content, choice }]));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ content, choice }) => {
          const kind = receipt ? 'erasure-receipt' : 'own-data';
          this.download.save(
            content,
            `harbour-${person.code}-${kind}.${choice.format}`,
            TYPES[choice.format],
          );
          this.snackBar.open(this.transloco.translate('subjectExport.downloaded'), undefined, {
            duration: 4000,
          });
          this.busy.set(false);
        },
        // The error interceptor has shown the message.
        error: () => this.busy.set(false),
        complete: () => this.busy.set(false),
      });
  }

  /** As text: an error body (such as `step_up_required`) must stay readable for the interceptor. */
  private fetch(
    id: string,
    choice: SubjectExportChoice,
    receipt: boolean,
    context: HttpContext,
  ): Observable<string> {
    const base = `/api/persons/${encodeURIComponent(id)}`;
    return receipt
      ? this.http.get(`${base}/erasure-receipt`, {
          params: { format: choice.format, language: choice.language },
          context,
          responseType: 'text',
        })
      : this.http.post(`${base}/subject-export`, choice, { context, responseType: 'text' });
  }
}
