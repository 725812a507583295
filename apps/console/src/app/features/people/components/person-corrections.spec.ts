import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type {
  ContactView,
  NeedView,
  PartnerView,
  PersonIdentityInput,
  PersonView,
} from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { PersonStore } from '../data/person.store';
import { ContactCorrection } from './contact-correction';
import { PersonCorrections } from './person-corrections';

const PERSON: PersonView = {
  id: 'p-1',
  code: 'HB-0000-0001',
  version: 2,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: null,
  genderIdentity: null,
  consentToReporting: false,
  hasIdentity: true,
  identityFields: ['givenName'],
  erasedAt: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const NEED: NeedView = {
  id: 'n-1',
  personId: 'p-1',
  contactId: null,
  category: 'housing',
  priority: 'high',
  status: 'identified',
  identifiedOn: '2026-03-10',
  closedOn: null,
  version: 1,
};

/** The parts of the person page's store that corrections use. */
class FakePersonStore {
  readonly person = signal<PersonView | null>(PERSON);
  readonly identity = signal<PersonIdentityInput | null>(null);
  readonly partners = signal<readonly PartnerView[]>([]);
  readonly notes = signal<Readonly<Record<string, string | null>>>({});
  readonly hidden: string[] = [];
  reloads = 0;
  loads = 0;
  identityHidden = false;
  reloadPerson(): void {
    this.reloads++;
  }
  load(): void {
    this.loads++;
  }
  hideIdentity(): void {
    this.identityHidden = true;
  }
  hideNote(id: string): void {
    this.hidden.push(id);
  }
  refer(): void {
    // not used here
  }
}

async function stable(fixture?: ComponentFixture<unknown>): Promise<void> {
  await settle();
  TestBed.tick();
  await fixture?.whenStable();
  await settle();
}

describe('person page corrections', () => {
  let backend: HttpTestingController;
  let page: FakePersonStore;

  function setUp(roles: ('caseworker' | 'coordinator')[] = ['caseworker']): void {
    page = new FakePersonStore();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        { provide: PersonStore, useValue: page },
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles }));
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
  });

  describe('PersonCorrections', () => {
    async function render(): Promise<ComponentFixture<PersonCorrections>> {
      const fixture = TestBed.createComponent(PersonCorrections);
      await stable(fixture);
      backend.expectOne('/api/needs?person=p-1').flush([NEED]);
      await stable(fixture);
      return fixture;
    }

    it("lists the person's needs noted outside a contact and offers the corrections", async () => {
      setUp();
      await render();
      expect(byTestId('person-need').dataset['category']).toBe('housing');
      expect(byTestId('correct-details').textContent.trim()).toBe(en.corrections.details.button);
      expect(byTestId('add-need').textContent.trim()).toBe(en.corrections.needs.button);
    });

    it('offers no corrections for an erased person', async () => {
      setUp();
      page.person.set({ ...PERSON, erasedAt: '2026-03-01T00:00:00.000Z' });
      await render();
      expect(maybeByTestId('correct-details')).toBeNull();
      expect(maybeByTestId('add-need')).toBeNull();
    });

    it('sends a correction, hides the revealed identity and shows the person again', async () => {
      setUp();
      const fixture = await render();
      byTestId('correct-details').click();
      await stable(fixture);
      type(byTestId<HTMLInputElement>('correct-familyName'), 'Jaidee');
      byTestId('correct-confirm').click();
      await stable(fixture);
      const req = backend.expectOne('/api/persons/p-1');
      expect(req.request.body).toEqual({ version: 2, identity: { familyName: 'Jaidee' } });
      req.flush({ ...PERSON, version: 3 });
      await stable(fixture);
      expect(page.identityHidden).toBe(true);
      expect(page.reloads).toBe(1);
      expect(byTestId('corrections-notice').textContent.trim()).toBe(en.corrections.details.saved);
    });

    it('says plainly when someone else changed the person first', async () => {
      setUp();
      const fixture = await render();
      byTestId('correct-details').click();
      await stable(fixture);
      type(byTestId<HTMLInputElement>('correct-alias'), 'Nok');
      byTestId('correct-confirm').click();
      await stable(fixture);
      backend
        .expectOne('/api/persons/p-1')
        .flush(
          { code: 'version_conflict', message: 'x', correlationId: 'c-1' },
          { status: 409, statusText: 'Conflict' },
        );
      await stable(fixture);
      expect(byTestId('corrections-notice').textContent.trim()).toBe(en.corrections.conflict);
      expect(page.reloads).toBe(1);
    });
  });

  describe('ContactCorrection', () => {
    const contact = (overrides: Partial<ContactView> = {}): ContactView => ({
      id: 'c-1',
      kind: 'individual',
      personId: 'p-1',
      personCode: 'HB-0000-0001',
      headcount: 1,
      occurredOn: '2026-03-09',
      channel: 'phone',
      locationType: 'online_or_phone',
      languageGroup: null,
      interpreterUsed: false,
      peerLed: false,
      circumstances: [],
      hasNotes: true,
      caseworkerId: 'u-1',
      createdAt: '2026-03-09T10:00:00.000Z',
      needs: [],
      amended: false,
      ...overrides,
    });

    async function render(value: ContactView): Promise<ComponentFixture<ContactCorrection>> {
      const fixture = TestBed.createComponent(ContactCorrection);
      fixture.componentRef.setInput('contact', value);
      await stable(fixture);
      return fixture;
    }

    it('marks an amended contact and reads its corrections only on request', async () => {
      setUp();
      const fixture = await render(contact({ amended: true }));
      expect(byTestId('contact-amended').textContent.trim()).toBe(en.corrections.contact.amended);
      backend.expectNone('/api/contacts/c-1');
      byTestId('show-amendments').click();
      await stable(fixture);
      backend.expectOne('/api/contacts/c-1').flush({
        ...contact({ amended: true }),
        notes: 'x',
        amendments: [
          {
            id: 'a-1',
            createdBy: 'u-1',
            createdAt: '2026-03-10T12:00:00.000Z',
            fields: ['notes'],
            reason: 'Notes were about the wrong visit',
          },
        ],
      });
      await stable(fixture);
      expect(byTestId('contact-amendment').textContent).toContain(
        'Notes were about the wrong visit',
      );
    });

    it('offers no correction of an anonymous contact, and no marker when not amended', async () => {
      setUp();
      await render(contact({ personId: null, personCode: null }));
      expect(maybeByTestId('correct-contact')).toBeNull();
      expect(maybeByTestId('contact-amended')).toBeNull();
    });

    it('appends a correction, drops the note read before and reloads the page', async () => {
      setUp();
      page.notes.set({ 'c-1': 'Wants a lawyer.' });
      const fixture = await render(contact());
      byTestId('correct-contact').click();
      await stable(fixture);
      expect(byTestId<HTMLTextAreaElement>('amend-notes').value).toBe('Wants a lawyer.');
      type(byTestId('amend-reason'), 'Notes were about the wrong visit');
      byTestId('amend-confirm').click();
      await stable(fixture);
      const req = backend.expectOne('/api/contacts/c-1/amendments');
      expect(req.request.body).toEqual({
        reason: 'Notes were about the wrong visit',
        notes: 'Wants a lawyer.',
      });
      req.flush(contact({ amended: true }));
      await stable(fixture);
      expect(page.hidden).toEqual(['c-1']);
      expect(page.loads).toBe(1);
    });
  });
});
