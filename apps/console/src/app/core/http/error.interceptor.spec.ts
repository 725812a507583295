import {
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpHeaders,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ERROR_CODES } from '@harbour/domain';
import { TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import en from '../../../assets/i18n/en.json';
import th from '../../../assets/i18n/th.json';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { AppError } from './app-error';
import { errorInterceptor } from './error.interceptor';
import { ERROR_HANDLED_BY_CALLER, SHOW_ERROR_MESSAGE } from './http-context';

const URL = '/api/things';

describe('errorInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;

  beforeEach(() => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  /** Starts a GET and resolves with what it failed with (or rejects if it succeeded). */
  function failureOf(context?: HttpContext): Promise<unknown> {
    return firstValueFrom(http.get(URL, { context })).then(
      () => Promise.reject(new Error('the request was expected to fail')),
      (error: unknown) => error,
    );
  }

  it.each(ERROR_CODES)('maps an API error with code %s and shows its message', async (code) => {
    const failure = failureOf();
    backend
      .expectOne(URL)
      .flush(
        { code, message: 'server text', correlationId: 'c0ffee-42' },
        { status: 409, statusText: 'Error' },
      );

    const error = await failure;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, status: 409, correlationId: 'c0ffee-42' });
    expect(snackBar.opened).toHaveLength(1);
    expect(snackBar.opened[0]?.message).toBe(`${en.errors[code]} Reference: c0ffee-42`);
    expect(snackBar.opened[0]?.action).toBe(en.common.dismiss);
  });

  it('never shows the server message text', async () => {
    const failure = failureOf();
    backend.expectOne(URL).flush(
      {
        code: 'internal_error',
        message: 'relation "persons" does not exist',
        correlationId: 'abc',
      },
      { status: 500, statusText: 'Internal Server Error' },
    );

    await failure;
    expect(snackBar.opened[0]?.message).not.toContain('persons');
    expect(snackBar.opened[0]?.message).toBe(`${en.errors.internal_error} Reference: abc`);
  });

  it('maps a failure without any response to network_error', async () => {
    const failure = failureOf();
    backend.expectOne(URL).error(new ProgressEvent('error'));

    const error = await failure;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'network_error', status: 0, correlationId: undefined });
    expect(snackBar.opened.map((opened) => opened.message)).toEqual([en.errors.network_error]);
  });

  it('maps a body that is not an API error to unknown_error, taking the id from the header', async () => {
    const failure = failureOf();
    backend.expectOne(URL).flush('<html>Bad gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
      headers: new HttpHeaders({ 'X-Correlation-Id': 'from-header-1' }),
    });

    const error = await failure;
    expect(error).toMatchObject({
      code: 'unknown_error',
      status: 502,
      correlationId: 'from-header-1',
    });
    expect(snackBar.opened[0]?.message).toBe(`${en.errors.unknown_error} Reference: from-header-1`);
  });

  it('maps an unknown code to unknown_error and drops a correlation id that is not a plain token', async () => {
    const failure = failureOf();
    backend
      .expectOne(URL)
      .flush(
        { code: 'made_up', message: 'x', correlationId: '<img src=x>' },
        { status: 418, statusText: 'Teapot' },
      );

    const error = await failure;
    expect(error).toMatchObject({ code: 'unknown_error', status: 418, correlationId: undefined });
    expect(snackBar.opened[0]?.message).toBe(en.errors.unknown_error);
  });

  it('shows the message in the active language', async () => {
    TestBed.inject(TranslocoService).setActiveLang('th');
    const failure = failureOf();
    backend
      .expectOne(URL)
      .flush(
        { code: 'forbidden', message: 'x', correlationId: 'id-7' },
        { status: 403, statusText: 'Forbidden' },
      );

    await failure;
    expect(snackBar.opened[0]?.message).toBe(`${th.errors.forbidden} รหัสอ้างอิง: id-7`);
    expect(snackBar.opened[0]?.action).toBe(th.common.dismiss);
  });

  it('names each refused field in words with what to do, never its path or reason', async () => {
    const failure = failureOf();
    backend.expectOne(URL).flush(
      {
        code: 'validation_failed',
        message: 'x',
        correlationId: 'id-8',
        fields: [
          {
            path: 'people.2.identity.dateOfBirth',
            reason: 'notInFuture',
            limits: { earliest: '1900-01-01', latest: '2026-12-06' },
          },
          { path: 'reason', reason: 'minLength', limits: { minLength: 10, bogus: 'x' } },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );

    const error = (await failure) as AppError;
    expect(error.details.fields?.[1]).toEqual({
      path: 'reason',
      reason: 'minLength',
      limits: { minLength: 10 },
    });
    expect(snackBar.opened[0]?.message).toBe(
      `${en.errors.checkFields} ${en.errors.fieldName.dateOfBirth}: Enter a date between Jan 1, 1900 and Dec 6, 2026. ` +
        `${en.errors.fieldName.reason}: Write at least 10 characters. Reference: id-8`,
    );
  });

  it('rethrows without a message when the request asks for silence', async () => {
    const failure = failureOf(new HttpContext().set(SHOW_ERROR_MESSAGE, false));
    backend
      .expectOne(URL)
      .flush(
        { code: 'not_found', message: 'x', correlationId: 'c1' },
        { status: 404, statusText: 'Not Found' },
      );

    expect(await failure).toMatchObject({ code: 'not_found', status: 404 });
    expect(snackBar.opened).toEqual([]);
  });

  it('passes responses the caller handles through untouched', async () => {
    const failure = failureOf(
      new HttpContext().set(ERROR_HANDLED_BY_CALLER, (response) => response.status === 503),
    );
    backend
      .expectOne(URL)
      .flush({ status: 'unavailable' }, { status: 503, statusText: 'Unavailable' });

    const error = await failure;
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect(snackBar.opened).toEqual([]);
  });
});
