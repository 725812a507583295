import type { DestroyRef } from '@angular/core';
import type { MatDialogRef } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { whenDialogConfirms } from './dialog-result';

/** A dialog that closes when told, and a life that ends when told. */
function setUp<R>(): {
  ref: MatDialogRef<unknown, R>;
  closed: Subject<R | undefined>;
  destroyRef: DestroyRef;
  destroy: () => void;
} {
  const closed = new Subject<R | undefined>();
  const ref = { afterClosed: () => closed.asObservable() } as unknown as MatDialogRef<unknown, R>;
  const callbacks: (() => void)[] = [];
  const destroyRef = {
    onDestroy: (callback: () => void) => {
      callbacks.push(callback);
      return () => undefined;
    },
    destroyed: false,
  } as unknown as DestroyRef;
  return { ref, closed, destroyRef, destroy: () => callbacks.forEach((callback) => callback()) };
}

describe('whenDialogConfirms', () => {
  it('runs with what the dialog closed with', () => {
    const { ref, closed, destroyRef } = setUp<{ reason: string } | null>();
    const next = jest.fn();
    whenDialogConfirms(ref, destroyRef, next);

    closed.next({ reason: 'safety' });

    expect(next).toHaveBeenCalledWith({ reason: 'safety' });
  });

  it.each([null, undefined, false])('does not run when the dialog closes with %p', (result) => {
    const { ref, closed, destroyRef } = setUp<boolean | null>();
    const next = jest.fn();
    whenDialogConfirms(ref, destroyRef, next);

    closed.next(result);

    expect(next).not.toHaveBeenCalled();
  });

  it('does not run once the caller is gone', () => {
    const { ref, closed, destroyRef, destroy } = setUp<boolean>();
    const next = jest.fn();
    whenDialogConfirms(ref, destroyRef, next);

    destroy();
    closed.next(true);

    expect(next).not.toHaveBeenCalled();
    expect(closed.observed).toBe(false);
  });
});
