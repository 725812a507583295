import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import en from '../../../../assets/i18n/en.json';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { BackupsStore } from '../data/backups.store';
import { DayStore } from '../data/day.store';
import { HomeStore } from '../data/home.store';
import { HomePage } from './home-page';

describe('HomePage', () => {
  let fixture: ComponentFixture<HomePage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [HomePage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideAppIcons(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        HomeStore,
        BackupsStore,
        DayStore,
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(HomePage);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  function card(): HTMLElement {
    const element = (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(
      '[data-testid="service-status-card"]',
    );
    if (element === null) throw new Error('status card not rendered');
    return element;
  }

  function refreshButton(): HTMLButtonElement {
    const button = card().querySelector<HTMLButtonElement>('[data-testid="refresh-status-button"]');
    if (button === null) throw new Error('refresh button not rendered');
    return button;
  }

  it('shows a loading state, then "Service ready"', async () => {
    expect(card().dataset['status']).toBe('loading');
    expect(card().getAttribute('aria-busy')).toBe('true');
    expect(card().textContent).toContain(en.home.status.checking);
    expect(refreshButton().getAttribute('aria-disabled')).toBe('true');

    backend.expectOne('/health/ready').flush({ status: 'ok', checks: { database: 'ok' } });
    await fixture.whenStable();

    expect(card().dataset['status']).toBe('ready');
    expect(card().textContent).toContain(en.home.status.ready);
    expect(refreshButton().getAttribute('aria-disabled')).toBeNull();
  });

  it('shows "Database unavailable" after a refresh finds the database down', async () => {
    backend.expectOne('/health/ready').flush({ status: 'ok', checks: { database: 'ok' } });
    await fixture.whenStable();

    refreshButton().click();
    await fixture.whenStable();
    expect(card().dataset['status']).toBe('loading');

    backend
      .expectOne('/health/ready')
      .flush(
        { status: 'unavailable', checks: { database: 'unavailable' } },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await fixture.whenStable();

    expect(card().dataset['status']).toBe('unavailable');
    expect(card().textContent).toContain(en.home.status.databaseUnavailable);
  });

  it('shows the translated error and its reference when the service cannot be reached', async () => {
    backend
      .expectOne('/health/ready')
      .flush(
        { code: 'internal_error', message: 'x', correlationId: 'ref-9' },
        { status: 500, statusText: 'Internal Server Error' },
      );
    await fixture.whenStable();

    expect(card().dataset['status']).toBe('error');
    expect(card().textContent).toContain(en.home.status.unreachable);
    expect(card().textContent).toContain(en.errors.internal_error);
    expect(card().textContent).toContain('Reference: ref-9');
  });
});
