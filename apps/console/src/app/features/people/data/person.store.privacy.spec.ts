import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { StepUpService } from '../../../core/auth/step-up.service';
import { HIDDEN_GRACE_MS, ScreenPrivacy } from '../../../core/safety/screen-privacy';
import { PersonStore } from './person.store';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('PersonStore: revealed identity hidden again', () => {
  afterEach(() => jest.useRealTimers());

  it('after the tab was away longer than the grace period', () => {
    jest.useFakeTimers({ now: NOW });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        PersonStore,
        { provide: StepUpService, useValue: {} },
      ],
    });
    const store = TestBed.inject(PersonStore);
    const backend = TestBed.inject(HttpTestingController);
    store.open('p-1');
    store
      .revealing({ reason: 'Follow-up call about housing', fields: ['givenName'] } as never)
      .subscribe();
    backend.expectOne('/api/persons/p-1/reveal').flush({ identity: { givenName: 'Malai' } });
    expect(store.identity()).toEqual({ givenName: 'Malai' });

    const privacy = TestBed.inject(ScreenPrivacy);
    privacy.noteVisibility(true);
    jest.advanceTimersByTime(5_000);
    privacy.noteVisibility(false);
    expect(store.identity()).toEqual({ givenName: 'Malai' });

    privacy.noteVisibility(true);
    jest.advanceTimersByTime(HIDDEN_GRACE_MS + 1);
    privacy.noteVisibility(false);
    expect(store.identity()).toBeNull();
  });
});
