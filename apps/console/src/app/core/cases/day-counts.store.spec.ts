import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Clock } from '../time/clock';
import { DAY_COUNTS_MAX_AGE_MS, DayCountsStore } from './day-counts.store';
import { localIsoDate } from './local-date';

describe('DayCountsStore', () => {
  let now: number;
  let store: DayCountsStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    now = new Date(2026, 5, 10, 12, 0, 0).getTime();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Clock, useValue: { now: () => now } },
      ],
    });
    store = TestBed.inject(DayCountsStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  const answer = (followUpsDue: number, staleReferrals: number) =>
    backend
      .expectOne((r) => r.url === '/api/me/day/counts')
      .flush({ followUpsDue, staleReferrals });

  it('asks for the browser’s today, and at most once a minute unless forced', () => {
    store.refresh();
    const request = backend.expectOne((r) => r.url === '/api/me/day/counts');
    expect(request.request.params.get('today')).toBe(localIsoDate(now));
    request.flush({ followUpsDue: 2, staleReferrals: 1 });
    expect(store.counts()).toEqual({ followUpsDue: 2, staleReferrals: 1 });

    now += DAY_COUNTS_MAX_AGE_MS - 1;
    store.refresh();
    backend.expectNone((r) => r.url === '/api/me/day/counts');

    store.refresh(true);
    answer(1, 1);
    expect(store.counts()).toEqual({ followUpsDue: 1, staleReferrals: 1 });

    now += DAY_COUNTS_MAX_AGE_MS;
    store.refresh();
    answer(0, 0);
    expect(store.counts()).toEqual({ followUpsDue: 0, staleReferrals: 0 });
  });

  it('drops the counts on a failure and when cleared (signed out)', () => {
    store.refresh();
    answer(3, 0);
    store.refresh(true);
    backend
      .expectOne((r) => r.url === '/api/me/day/counts')
      .flush({ code: 'internal_error' }, { status: 500, statusText: 'Server Error' });
    expect(store.counts()).toBeNull();
    store.refresh(true);
    answer(3, 0);
    store.clear();
    expect(store.counts()).toBeNull();
    // Cleared: the next refresh asks again at once.
    store.refresh();
    answer(0, 0);
  });
});
