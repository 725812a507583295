import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import en from '../../../../assets/i18n/en.json';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { fieldControl } from '../../../core/forms/field-errors';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { PARTNER_PATHS } from '../data/partner-paths';
import { PartnersPage } from './partners-page';

describe('partners page: adding a partner', () => {
  let fixture: ComponentFixture<PartnersPage>;
  let backend: HttpTestingController;

  async function render(language = 'en'): Promise<FormGroup> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'] }));
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PartnersPage);
    fixture.autoDetectChanges();
    backend.expectOne((r) => r.url === '/api/partners').flush([]);
    await settle();
    return (fixture.componentInstance as unknown as { addForm: FormGroup }).addForm;
  }

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  afterEach(() => {
    backend.verify();
  });

  it('maps each path of PartnerDto to a control', async () => {
    const form = await render();
    expect(
      unmappedPaths(['PartnerDto'], (path) => fieldControl(form, path, PARTNER_PATHS) !== null, {}),
    ).toEqual([]);
    expect(requestPaths('PartnerDto')).toContain('sexWorkerFriendly');
    expect(fieldControl(form, 'noIdRequired', PARTNER_PATHS)).toBe(form.get('safety'));
  });

  it('puts a refused contact detail under its field, in Thai, with no banner', async () => {
    const form = await render('th');
    type(byTestId<HTMLInputElement>('partner-name'), 'Clinic');
    form.get('serviceType')!.setValue('health');
    byTestId('partner-add').click();
    await stable();
    backend
      .expectOne((r) => r.method === 'POST')
      .flush(
        {
          ...apiError('validation_failed'),
          fields: [{ path: 'contactDetails', reason: 'maxLength', limits: { maxLength: 500 } }],
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await stable();
    const thai = TRANSLATIONS.th as typeof en;
    const max = new Intl.NumberFormat('th', { maximumFractionDigits: 0 }).format(500);
    expect(byTestId('partner-contact-details-error').textContent.trim()).toBe(
      thai.errors.field.maxLength.replace('{{max}}', max),
    );
    expect(byTestId('partner-contact-details').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('partner-add-error')).toBeNull();
  });

  it('shows a refused safety attribute under the safety chips', async () => {
    const form = await render();
    type(byTestId<HTMLInputElement>('partner-name'), 'Clinic');
    form.get('serviceType')!.setValue('health');
    byTestId('partner-add').click();
    await stable();
    backend
      .expectOne((r) => r.method === 'POST')
      .flush(
        {
          ...apiError('validation_failed'),
          fields: [{ path: 'noIdRequired', reason: 'isBoolean' }],
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await stable();
    expect(byTestId('partner-safety-error').textContent.trim()).toBe(en.errors.field.choose);
    expect(maybeByTestId('partner-add-error')).toBeNull();
  });
});
