import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DisclosureExportResponse } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';
import { DisclosuresApi } from '../../../core/disclosures/disclosures.api';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FileDownload } from '../../../core/ui/file-download';
import { CopyButton } from '../../../core/ui/copy-button';
import { FormError } from '../../../core/ui/form-error';

export interface PassphraseDialogData {
  readonly requestId: string;
  readonly produced: DisclosureExportResponse;
}

/**
 * The passphrase of a disclosure file, shown this once (the API keeps no copy), with the warning
 * to send it separately from the file, and the file's download. Closes only with "Done".
 */
@Component({
  selector: 'app-disclosure-passphrase-dialog',
  imports: [CopyButton, FormError, MatButtonModule, MatDialogModule, MatIconModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ 'disclosures.passphrase.title' | transloco }}</h2>
    <mat-dialog-content>
      <p>{{ 'disclosures.passphrase.intro' | transloco }}</p>
      <p class="passphrase">
        <code data-testid="disclosure-passphrase">{{ data.produced.passphrase }}</code>
      </p>
      <app-copy-button testId="disclosure-passphrase-copy" [text]="data.produced.passphrase" />
      <ul class="advice">
        <li data-testid="disclosure-passphrase-warning">
          <strong>{{ 'disclosures.passphrase.separately' | transloco }}</strong>
        </li>
        <li>{{ 'disclosures.passphrase.once' | transloco }}</li>
        <li>{{ 'disclosures.passphrase.opens' | transloco }}</li>
      </ul>
      <button
        mat-stroked-button
        type="button"
        data-testid="disclosure-download"
        [disabled]="downloading()"
        (click)="download()"
      >
        <mat-icon svgIcon="download" aria-hidden="true" />
        {{ 'disclosures.passphrase.download' | transloco: { name: data.produced.fileName } }}
      </button>
      <app-form-error testId="disclosure-download-error" [error]="error()" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-flat-button
        type="button"
        data-testid="disclosure-passphrase-done"
        mat-dialog-close
      >
        {{ 'disclosures.passphrase.done' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .passphrase code {
      display: inline-block;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      font-size: 1.25rem;
      letter-spacing: 0.05em;
      user-select: all;
    }
    .advice {
      padding-left: 20px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'disclosure-passphrase-dialog' },
})
export class PassphraseDialog {
  protected readonly data = inject<PassphraseDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(DisclosuresApi);
  private readonly files = inject(FileDownload);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly downloading = signal(false);
  protected readonly error = signal<AppError | null>(null);

  protected download(): void {
    downloadDisclosureFile(this.api, this.files, this.data.requestId, this.data.produced.fileName)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.downloading.set(false),
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.downloading.set(false);
        },
      });
    this.downloading.set(true);
    this.error.set(null);
  }
}

/** Fetches the encrypted file and saves it (under the API's name for it, else `fallbackName`). */
export function downloadDisclosureFile(
  api: DisclosuresApi,
  files: FileDownload,
  requestId: string,
  fallbackName: string,
): Observable<true> {
  return api.file(requestId).pipe(
    map(({ blob, fileName }) => {
      files.save(blob, fileName ?? fallbackName, 'application/zip');
      return true as const;
    }),
  );
}
