import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import { Clock } from '../time/clock';

/**
 * How long an object URL outlives the click that starts its download. Revoking it at once
 * cancels the download in some browsers; keeping it longer keeps the data in memory for nothing.
 */
export const REVOKE_OBJECT_URL_AFTER_MS = 1_000;

/**
 * Saves text (or a blob, such as an encrypted archive) as a file through a temporary object URL and `<a download>`: nothing is written to
 * browser storage, and the URL is revoked right after the download has started.
 */
@Injectable({ providedIn: 'root' })
export class FileDownload {
  private readonly document = inject(DOCUMENT);
  private readonly clock = inject(Clock);

  save(content: string | Blob, fileName: string, type: string): void {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const link = this.document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.hidden = true;
    this.document.body.append(link);
    try {
      link.click();
    } finally {
      link.remove();
      this.clock.setTimeout(() => URL.revokeObjectURL(url), REVOKE_OBJECT_URL_AFTER_MS);
    }
  }
}
