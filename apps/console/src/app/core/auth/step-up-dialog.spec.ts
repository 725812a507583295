import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import en from '../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../testing/dom';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { provideNoAnimations } from '../../../testing/material';
import { apiError, sessionInfo } from '../../../testing/session';
import { provideAppIcons } from '../icons/icons';
import { errorInterceptor } from '../http/error.interceptor';
import { SessionStore } from './session.store';
import { StepUpService } from './step-up.service';

describe('StepUpDialog', () => {
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let result: Promise<boolean>;

  beforeEach(async () => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    result = firstValueFrom(TestBed.inject(StepUpService).confirm());
    await settle();
    TestBed.tick();
  });

  afterEach(() => {
    backend.verify();
  });

  function submit(password: string, code: string): void {
    type(byTestId<HTMLInputElement>('step-up-password'), password);
    type(byTestId<HTMLInputElement>('step-up-code'), code);
    byTestId<HTMLButtonElement>('step-up-submit').click();
    TestBed.tick();
  }

  it('sends the password and code, and closes once the API accepts them', async () => {
    TestBed.inject(SessionStore).signIn(sessionInfo());
    const code = byTestId<HTMLInputElement>('step-up-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');

    submit('correct horse battery staple', '123 456');
    const request = backend.expectOne('/api/auth/step-up');
    expect(request.request.body).toEqual({
      password: 'correct horse battery staple',
      code: '123456',
    });
    expect(TestBed.inject(SessionStore).stepUpFresh()).toBe(false);
    request.flush({ stepUpUntil: '2026-03-01T10:05:00.000Z' });

    expect(await result).toBe(true);
    // The next action that needs step-up does not ask again.
    expect(TestBed.inject(SessionStore).stepUpFresh()).toBe(true);
  });

  it('says which part was wrong, and stays open', () => {
    submit('wrong', '123456');
    backend
      .expectOne('/api/auth/step-up')
      .flush(apiError('invalid_credentials'), { status: 401, statusText: 'Unauthorized' });
    TestBed.tick();
    expect(byTestId('step-up-error').textContent.trim()).toBe(en.stepUp.wrongPassword);

    submit('right', '654321');
    backend
      .expectOne('/api/auth/step-up')
      .flush(apiError('invalid_code'), { status: 401, statusText: 'Unauthorized' });
    TestBed.tick();
    expect(byTestId('step-up-error').textContent.trim()).toBe(en.errors.invalid_code);
    expect(snackBar.opened).toEqual([]);
  });

  it('does not send a code that is not six digits', () => {
    submit('password', '12345');
    backend.expectNone('/api/auth/step-up');
    expect(maybeByTestId('step-up-dialog')).not.toBeNull();
  });

  it('closes with false on cancel', async () => {
    byTestId<HTMLButtonElement>('step-up-cancel').click();
    expect(await result).toBe(false);
  });
});
