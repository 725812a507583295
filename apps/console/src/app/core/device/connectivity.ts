import { DestroyRef, inject, Injectable, signal } from '@angular/core';

/** Whether the browser believes it has a connection (`navigator.onLine` and its events). */
@Injectable({ providedIn: 'root' })
export class Connectivity {
  private readonly state = signal(globalThis.navigator?.onLine ?? true);
  readonly online = this.state.asReadonly();

  constructor() {
    const update = (): void => this.state.set(globalThis.navigator?.onLine ?? true);
    globalThis.addEventListener?.('online', update);
    globalThis.addEventListener?.('offline', update);
    inject(DestroyRef).onDestroy(() => {
      globalThis.removeEventListener?.('online', update);
      globalThis.removeEventListener?.('offline', update);
    });
  }
}
