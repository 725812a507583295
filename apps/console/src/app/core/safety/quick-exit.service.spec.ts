import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { DeviceVault } from '../device/device-vault';
import { FormDrafts } from '../drafts/form-drafts';
import type { QuickExitPort } from './quick-exit.service';
import { QUICK_EXIT_PORT, QUICK_EXIT_URL, QuickExit } from './quick-exit.service';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('QuickExit', () => {
  let port: { replace: jest.Mock; send: jest.Mock };
  let quickExit: QuickExit;
  let document: Document;
  let vault: { lock: jest.Mock };
  let drafts: { flushAll: jest.Mock };

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    port = { replace: jest.fn(), send: jest.fn() };
    vault = { lock: jest.fn() };
    drafts = { flushAll: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: QUICK_EXIT_PORT, useValue: port satisfies QuickExitPort },
        { provide: QUICK_EXIT_URL, useValue: 'https://weather.example/' },
        { provide: DeviceVault, useValue: vault },
        { provide: FormDrafts, useValue: drafts },
      ],
    });
    document = TestBed.inject(DOCUMENT);
    document.title = 'Person 7 — Harbour';
    document.body.innerHTML = '<main><p>Somchai</p></main>';
    // jsdom keeps no `__Host-` cookie on its http origin.
    jest.spyOn(document, 'cookie', 'get').mockReturnValue('lang=th; __Host-XSRF-TOKEN=tok%2Ben');
    quickExit = TestBed.inject(QuickExit);
  });

  afterEach(() => {
    document.documentElement.style.visibility = '';
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('empties the screen, locks, ends the session in the background and replaces the page', () => {
    quickExit.exit();

    expect(document.body.textContent).toBe('');
    expect(document.title).toBe('');
    expect(document.documentElement.style.visibility).toBe('hidden');
    // Pending drafts are sealed first, then the key is forgotten.
    expect(drafts.flushAll.mock.invocationCallOrder[0]).toBeLessThan(
      vault.lock.mock.invocationCallOrder[0]!,
    );
    expect(port.send).toHaveBeenCalledWith('/api/auth/logout', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'X-XSRF-TOKEN': 'tok+en' },
    });
    expect(port.replace).toHaveBeenCalledWith('https://weather.example/');
    // The logout is sent before leaving, never awaited.
    expect(port.send.mock.invocationCallOrder[0]).toBeLessThan(
      port.replace.mock.invocationCallOrder[0]!,
    );
  });

  it('leaves even when something fails to lock, and only once', () => {
    vault.lock.mockImplementation(() => {
      throw new Error('vault busy');
    });
    quickExit.exit();
    quickExit.exit();
    expect(port.replace).toHaveBeenCalledTimes(1);
    expect(port.send).toHaveBeenCalledTimes(1);
  });

  it('exits on the third Escape within 1.5 seconds, not on slower ones', () => {
    quickExit.noteEscape();
    jest.advanceTimersByTime(1000);
    quickExit.noteEscape();
    jest.advanceTimersByTime(1000);
    quickExit.noteEscape();
    expect(port.replace).not.toHaveBeenCalled();

    jest.advanceTimersByTime(400);
    quickExit.noteEscape();
    expect(port.replace).toHaveBeenCalledWith('https://weather.example/');
  });

  it('ignores synthetic Escape key events', () => {
    for (let i = 0; i < 3; i++) {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    }
    expect(port.replace).not.toHaveBeenCalled();
  });

  it('leaves again when the browser brings the page back from its cache', () => {
    quickExit.exit();
    const show = new Event('pageshow') as PageTransitionEvent;
    Object.defineProperty(show, 'persisted', { value: true });
    document.defaultView!.dispatchEvent(show);
    expect(port.replace).toHaveBeenCalledTimes(2);
  });
});
