import type { DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { MatDialogRef } from '@angular/material/dialog';
import { filter } from 'rxjs';

/** What a dialog closes with when it is cancelled or dismissed. */
type Dismissed = null | undefined | false;

/**
 * Runs `next` with what the dialog `ref` closed with, unless it was cancelled or dismissed (closed
 * with nothing, `null` or `false`) or the caller (`destroyRef`) is gone by then.
 */
export function whenDialogConfirms<R>(
  ref: MatDialogRef<unknown, R>,
  destroyRef: DestroyRef,
  next: (result: Exclude<R, Dismissed>) => void,
): void {
  ref
    .afterClosed()
    .pipe(
      filter(
        (result): result is Exclude<R, Dismissed> =>
          result !== null && result !== undefined && result !== false,
      ),
      takeUntilDestroyed(destroyRef),
    )
    .subscribe(next);
}
