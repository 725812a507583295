import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { PersonDisclosureView } from '@harbour/domain';
import { maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { apiError } from '../../../../testing/session';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { PersonDisclosures } from './person-disclosures';

describe('PersonDisclosures', () => {
  let fixture: ComponentFixture<PersonDisclosures>;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;

  beforeEach(async () => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      imports: [PersonDisclosures],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PersonDisclosures);
    fixture.componentRef.setInput('personId', 'p-1');
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  async function answer(body: PersonDisclosureView[] | null, status = 200): Promise<void> {
    const request = backend.expectOne('/api/persons/p-1/disclosures');
    if (body === null) {
      request.flush(apiError('forbidden'), { status, statusText: 'Forbidden' });
    } else request.flush(body);
    await settle();
    await fixture.whenStable();
  }

  const lines = (): string[] =>
    [...(fixture.nativeElement as HTMLElement).querySelectorAll('li')].map((li) =>
      li.textContent.replace(/\s+/g, ' ').trim(),
    );

  it('says when data went to an authority, and names open or refused requests by status', async () => {
    await answer([
      {
        requestId: 'd-1',
        authority: 'police',
        status: 'disclosed',
        disclosedAt: '2026-07-03T09:00:00.000Z',
      },
      { requestId: 'd-2', authority: 'immigration', status: 'refused', disclosedAt: null },
    ]);
    const [disclosed, refused] = lines();
    expect(disclosed).toMatch(/^Disclosed to Police on .*2026/);
    expect(refused).toBe('Request from Immigration: Refused');
  });

  it('shows nothing when there is nothing to say, or when the list cannot be read', async () => {
    await answer([]);
    expect(maybeByTestId('person-disclosures')).toBeNull();
    fixture.destroy();
    fixture = TestBed.createComponent(PersonDisclosures);
    fixture.componentRef.setInput('personId', 'p-1');
    await fixture.whenStable();
    await answer(null, 403);
    expect(maybeByTestId('person-disclosures')).toBeNull();
    expect(snackBar.opened).toEqual([]);
  });
});
