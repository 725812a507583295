import { DOCUMENT } from '@angular/common';
import { DestroyRef, inject, Injectable, InjectionToken } from '@angular/core';
import { XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { DeviceVault } from '../device/device-vault';
import { FormDrafts } from '../drafts/form-drafts';
import { Clock } from '../time/clock';

/**
 * Where "Quick exit" goes: an ordinary page that says nothing about Harbour. The one place to
 * change it (README, "Quick exit"); an organisation may prefer a local news or weather site.
 */
export const QUICK_EXIT_URL = new InjectionToken<string>('QUICK_EXIT_URL', {
  providedIn: 'root',
  factory: () => 'https://www.bbc.com/weather',
});

/** Escape this many times … */
export const QUICK_EXIT_ESCAPES = 3;
/** … within this long leaves at once (desktop). */
export const QUICK_EXIT_WINDOW_MS = 1500;

/** What the exit touches outside Angular, replaceable in unit tests. */
export interface QuickExitPort {
  /** `location.replace`: the current history entry is overwritten, not added to. */
  replace(url: string): void;
  /** A request that outlives the page (`fetch` with `keepalive`); never awaited. */
  send(url: string, init: RequestInit): void;
}

export const QUICK_EXIT_PORT = new InjectionToken<QuickExitPort>('QUICK_EXIT_PORT', {
  providedIn: 'root',
  factory: () => {
    const window = inject(DOCUMENT).defaultView!;
    return {
      replace: (url) => window.location.replace(url),
      send: (url, init) => void window.fetch(url, init).catch(() => undefined),
    };
  },
});

/**
 * Quick exit (a tap on the control, or Escape three times): for when somebody looks over the
 * worker's shoulder or takes the phone. In this order and without waiting for anything: the
 * screen is emptied, the vault locked, the session ended on the server in the background, and
 * the tab replaced by a neutral page. Drafts already saved stay on the device, encrypted.
 */
@Injectable({ providedIn: 'root' })
export class QuickExit {
  private readonly document = inject(DOCUMENT);
  private readonly clock = inject(Clock);
  private readonly url = inject(QUICK_EXIT_URL);
  private readonly port = inject(QUICK_EXIT_PORT);
  private readonly vault = inject(DeviceVault);
  private readonly drafts = inject(FormDrafts);
  private escapes: number[] = [];
  private gone = false;

  constructor() {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && event.isTrusted) this.noteEscape();
    };
    // A page restored from the back/forward cache after an exit leaves again at once.
    const onShow = (event: PageTransitionEvent): void => {
      if (event.persisted && this.gone) this.port.replace(this.url);
    };
    const window = this.document.defaultView;
    this.document.addEventListener('keydown', onKey, { capture: true });
    window?.addEventListener('pageshow', onShow);
    inject(DestroyRef).onDestroy(() => {
      this.document.removeEventListener('keydown', onKey, { capture: true });
      window?.removeEventListener('pageshow', onShow);
    });
  }

  /** An Escape key press; the third within 1.5 seconds exits. */
  noteEscape(): void {
    const now = this.clock.now();
    this.escapes = [...this.escapes.filter((at) => now - at < QUICK_EXIT_WINDOW_MS), now];
    if (this.escapes.length >= QUICK_EXIT_ESCAPES) this.exit();
  }

  exit(): void {
    if (this.gone) return;
    this.gone = true;
    this.escapes = [];
    const document = this.document;
    // Nothing of Harbour stays on screen, in the title or in the page (not even for a frame).
    document.documentElement.style.visibility = 'hidden';
    document.title = '';
    document.body.replaceChildren();
    try {
      // What was typed a moment ago is sealed with the key still held, then the key is dropped.
      this.drafts.flushAll();
      this.vault.lock();
    } catch {
      // Leaving matters more than anything left to tidy.
    }
    this.port.send('/api/auth/logout', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      // Cookies and cache are cleared; the sealed drafts on the device are kept.
      headers: { [XSRF_HEADER]: this.xsrfToken() },
    });
    this.port.replace(this.url);
  }

  private xsrfToken(): string {
    for (const part of this.document.cookie.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === XSRF_COOKIE) return decodeURIComponent(value.join('='));
    }
    return '';
  }
}
