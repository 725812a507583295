import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import en from '../../../../assets/i18n/en.json';
import { fieldControl } from '../../../core/forms/field-errors';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { PersonConsents } from './person-consents';

const URL = '/api/persons/p-1/consents';

describe('person consents: every API field has a control, and a refusal marks it', () => {
  let backend: HttpTestingController;

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  async function render(language = 'en'): Promise<{ form: FormGroup; host: HTMLElement }> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(PersonConsents);
    fixture.componentRef.setInput('personId', 'p-1');
    fixture.componentRef.setInput('mayWrite', true);
    fixture.autoDetectChanges();
    backend.expectOne(URL).flush([]);
    await settle();
    const host = fixture.nativeElement as HTMLElement;
    document.body.appendChild(host);
    return {
      form: (fixture.componentInstance as unknown as { form: FormGroup }).form,
      host,
    };
  }

  it('maps each path of RecordConsentDto to a control', async () => {
    const { form } = await render();
    expect(unmappedPaths(['RecordConsentDto'], (p) => fieldControl(form, p) !== null, {})).toEqual(
      [],
    );
    expect(requestPaths('RecordConsentDto')).toEqual(expect.arrayContaining(['purpose', 'method']));
  });

  it('puts a refused purpose under its field, in Chinese, with no banner', async () => {
    const { form } = await render('zh-Hans');
    form.controls['purpose']!.setValue('contact_by_text');
    byTestId('consent-record').click();
    await settle();
    backend.expectOne({ method: 'POST', url: URL }).flush(
      {
        code: 'validation_failed',
        message: 'x',
        correlationId: 'c-1',
        fields: [{ path: 'purpose', reason: 'isIn' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    backend.expectOne({ method: 'GET', url: URL }).flush([]);
    await stable();
    const chinese = TRANSLATIONS['zh-Hans'] as typeof en;
    expect(byTestId('consent-purpose-error').textContent.trim()).toBe(chinese.errors.field.choose);
    expect(byTestId('consent-purpose').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('consents-error')).toBeNull();
  });

  it('does not send a consent without a purpose, and says what is missing', async () => {
    await render();
    byTestId('consent-record').click();
    await stable();
    backend.expectNone({ method: 'POST', url: URL });
    expect(byTestId('consent-purpose-error').textContent.trim()).toBe(en.errors.field.required);
  });
});
