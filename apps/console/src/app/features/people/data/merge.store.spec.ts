import { HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { MergeReceipt, PersonView } from '@harbour/domain';
import { StepUpService, type StepUpAction } from '../../../core/auth/step-up.service';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { MergeStore, mergeRequest, type MergeSideView } from './merge.store';

const person = (over: Partial<PersonView>): PersonView => ({
  id: '0190a3c5-0000-7000-8000-00000000000a',
  code: 'HB-AAAA-AAAA',
  version: 3,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: 'thai',
  genderIdentity: null,
  consentToReporting: true,
  hasIdentity: true,
  identityFields: ['givenName'],
  erasedAt: null,
  mergedInto: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const side = (p: PersonView): MergeSideView => ({
  person: p,
  contacts: 2,
  referrals: 1,
  identity: null,
});

describe('mergeRequest', () => {
  const kept = side(person({}));
  const gone = side(
    person({
      id: '0190a3c5-0000-7000-8000-00000000000b',
      code: 'HB-BBBB-BBBB',
      version: 7,
      ageBand: '35_44',
    }),
  );

  it('names both records and both versions, and nothing else when nothing was chosen', () => {
    expect(mergeRequest(kept, gone, {}, {})).toEqual({
      absorbedId: gone.person.id,
      survivorVersion: 3,
      absorbedVersion: 7,
    });
  });

  it('sends identity choices, and category choices only where the records differ', () => {
    expect(
      mergeRequest(
        kept,
        gone,
        { phone: 'absorbed', givenName: 'survivor' },
        { ageBand: 'absorbed', languageGroup: 'absorbed' },
      ),
    ).toEqual({
      absorbedId: gone.person.id,
      survivorVersion: 3,
      absorbedVersion: 7,
      identity: { givenName: 'survivor', phone: 'absorbed' },
      categories: { ageBand: 'absorbed' },
    });
  });
});

describe('MergeStore', () => {
  let store: MergeStore;
  let backend: HttpTestingController;
  let stepUps: number;
  const A = '0190a3c5-0000-7000-8000-00000000000a';
  const B = '0190a3c5-0000-7000-8000-00000000000b';

  beforeEach(() => {
    stepUps = 0;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        {
          provide: StepUpService,
          useValue: {
            run: <T>(action: StepUpAction<T>, options: { required?: boolean }) => {
              if (options.required === true) stepUps++;
              return action(new HttpContext());
            },
          },
        },
      ],
    });
    const injector = createEnvironmentInjector([MergeStore], TestBed.inject(EnvironmentInjector));
    store = injector.get(MergeStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  function load(id: string, code: string, contacts: number): void {
    backend.expectOne(`/api/persons/${id}`).flush(person({ id, code }));
    backend
      .expectOne((r) => r.url === '/api/contacts' && r.params.get('person') === id)
      .flush({
        items: Array.from({ length: contacts }, (_, i) => ({ id: `c${i}` })),
        nextCursor: null,
      });
    backend
      .expectOne((r) => r.url === '/api/referrals' && r.params.get('person') === id)
      .flush([{ id: 'r1' }]);
  }

  it('shows both records with what they hold, identity hidden until revealed for a purpose', () => {
    store.open(A, B);
    load(A, 'HB-AAAA-AAAA', 3);
    load(B, 'HB-BBBB-BBBB', 1);
    expect(store.survivor()).toMatchObject({ contacts: 3, referrals: 1, identity: null });
    expect(store.absorbed()).toMatchObject({ contacts: 1, identity: null });

    store.revealingBoth({ purpose: 'correction_of_details' }).subscribe();
    for (const [id, given] of [
      [A, 'Malai'],
      [B, 'Mali'],
    ] as const) {
      const reveal = backend.expectOne(`/api/persons/${id}/reveal`);
      expect(reveal.request.body).toEqual({ purpose: 'correction_of_details' });
      reveal.flush({ identity: { givenName: given } });
    }
    expect(store.absorbed()?.identity).toEqual({ givenName: 'Mali' });
  });

  it('swapping sides flips the choices; merging steps up, sends both versions and forgets identities', () => {
    store.open(A, B);
    load(A, 'HB-AAAA-AAAA', 3);
    load(B, 'HB-BBBB-BBBB', 1);
    store.chooseIdentity('phone', 'absorbed');
    store.swap();
    expect(store.survivor()?.person.id).toBe(B);
    expect(store.identity()).toEqual({ phone: 'survivor' });

    let landed: MergeReceipt | null = null;
    store.merge((receipt) => (landed = receipt));
    expect(stepUps).toBe(1);
    const merge = backend.expectOne(`/api/persons/${B}/merge`);
    expect(merge.request.body).toEqual({
      absorbedId: A,
      survivorVersion: 3,
      absorbedVersion: 3,
      identity: { phone: 'survivor' },
    });
    const receipt = { survivor: person({ id: B }), absorbedId: A } as unknown as MergeReceipt;
    merge.flush(receipt);
    expect(landed).toEqual(receipt);
    expect(store.survivor()).toBeNull();
    expect(store.absorbed()).toBeNull();
  });
});
