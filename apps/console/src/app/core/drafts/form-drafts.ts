import type { Signal } from '@angular/core';
import { DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AbstractControl } from '@angular/forms';
import { DeviceVault } from '../device/device-vault';
import type { CancelTimer } from '../time/clock';
import { Clock } from '../time/clock';

/** A form is saved this long after the last change (and at once before the session ends). */
export const DRAFT_SAVE_DELAY_MS = 1000;

/** What the vault's `drafts` store holds for one form (sealed: never in the clear). */
export interface StoredDraft<T> {
  readonly savedAt: number;
  readonly values: T;
}

export interface DraftOptions<T> {
  /** One per form (and per record the form is for), e.g. `intake`, `contact:new`. */
  readonly id: string;
  readonly form: AbstractControl<unknown, T>;
  /** Puts saved values back (a page with repeated rows rebuilds them first). */
  readonly restore: (values: T) => void;
  /** Empties the form again after "Discard". */
  readonly reset: () => void;
}

/** One page's draft: restored when the page opens, saved as the worker types. */
export interface FormDraft {
  /** When the restored draft had been saved (epoch ms), while its notice is shown. */
  readonly restoredAt: Signal<number | null>;
  /** "Discard": the draft is deleted and the form emptied. */
  discard(): Promise<void>;
  /** The submission is recorded: the draft has served and is deleted. */
  recorded(): Promise<void>;
}

interface LiveDraft {
  flush(): void;
}

/**
 * Drafts of the intake and log-contact forms (work is never lost): kept in the device vault's
 * `drafts` store — sealed with the account's device key, so never in the clear and never
 * readable by another account — saved a second after each change and offered again when the
 * page opens after the next sign-in. Nothing is written anywhere else (no web storage, no URL).
 */
@Injectable({ providedIn: 'root' })
export class FormDrafts {
  private readonly vault = inject(DeviceVault);
  private readonly clock = inject(Clock);
  private readonly live = new Set<LiveDraft>();

  /** Saves every pending change now: called just before the session ends (the key goes then). */
  flushAll(): void {
    for (const draft of this.live) draft.flush();
  }

  /** Keeps the draft of one form of the calling page (call in its injection context). */
  attach<T>(options: DraftOptions<T>): FormDraft {
    const { id, form } = options;
    const vault = this.vault;
    const clock = this.clock;
    const restoredAt = signal<number | null>(null);
    let timer: CancelTimer | null = null;
    let restoring = false;
    let checked = false;

    const save = (): void => {
      timer?.();
      timer = null;
      if (!form.dirty || !vault.ready()) return;
      const values: T = form.getRawValue() as T;
      const draft: StoredDraft<T> = { savedAt: clock.now(), values };
      // `put` takes the key at once: a save started just before a session end still lands.
      vault.put('drafts', id, draft).catch(() => undefined);
    };
    const live: LiveDraft = { flush: () => (timer === null ? undefined : save()) };
    this.live.add(live);

    const destroyRef = inject(DestroyRef);
    form.valueChanges.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => {
      if (restoring) return;
      timer?.();
      timer = clock.setTimeout(save, DRAFT_SAVE_DELAY_MS);
    });
    destroyRef.onDestroy(() => {
      // Leaving the page keeps what was typed (the next visit offers it again).
      live.flush();
      this.live.delete(live);
    });

    // Once the vault is open (after sign-in), offer the draft of this form, if any.
    effect(() => {
      if (!vault.ready() || checked) return;
      checked = true;
      untracked(() => {
        vault
          .get<StoredDraft<T>>('drafts', id)
          .then((draft) => {
            if (draft === null || form.dirty) return;
            restoring = true;
            try {
              options.restore(draft.values);
            } finally {
              restoring = false;
            }
            form.markAsDirty();
            restoredAt.set(draft.savedAt);
          })
          .catch(() => undefined);
      });
    });

    const forget = async (): Promise<void> => {
      timer?.();
      timer = null;
      restoredAt.set(null);
      // What the page does next (emptying the form) is not a new draft.
      form.markAsPristine();
      if (vault.ready()) await vault.delete('drafts', id).catch(() => undefined);
    };
    return {
      restoredAt: restoredAt.asReadonly(),
      discard: async () => {
        restoring = true;
        try {
          options.reset();
        } finally {
          restoring = false;
        }
        await forget();
      },
      recorded: forget,
    };
  }
}
