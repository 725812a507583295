import type { DestroyRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HIDDEN_GRACE_MS, ScreenPrivacy } from './screen-privacy';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('ScreenPrivacy', () => {
  let privacy: ScreenPrivacy;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    privacy = TestBed.inject(ScreenPrivacy);
  });

  afterEach(() => jest.useRealTimers());

  function subscriber(): { hide: jest.Mock; destroy: () => void } {
    const destroyed: (() => void)[] = [];
    const ref = { onDestroy: (fn: () => void) => destroyed.push(fn) } as unknown as DestroyRef;
    const hide = jest.fn();
    privacy.onHidden(hide, ref);
    return { hide, destroy: () => destroyed.forEach((fn) => fn()) };
  }

  it('hides revealed values when the tab comes back after the grace period', () => {
    const { hide } = subscriber();
    privacy.noteVisibility(true);
    jest.advanceTimersByTime(HIDDEN_GRACE_MS + 1);
    privacy.noteVisibility(false);
    expect(hide).toHaveBeenCalledTimes(1);
  });

  it('keeps them after a short absence', () => {
    const { hide } = subscriber();
    privacy.noteVisibility(true);
    jest.advanceTimersByTime(HIDDEN_GRACE_MS - 1000);
    privacy.noteVisibility(false);
    expect(hide).not.toHaveBeenCalled();
  });

  it('forgets pages that are gone', () => {
    const { hide, destroy } = subscriber();
    destroy();
    privacy.noteVisibility(true);
    jest.advanceTimersByTime(HIDDEN_GRACE_MS * 2);
    privacy.noteVisibility(false);
    expect(hide).not.toHaveBeenCalled();
  });
});
