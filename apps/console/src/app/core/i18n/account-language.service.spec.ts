import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { TranslocoService } from '@jsverse/transloco';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { sessionInfo } from '../../../testing/session';
import { SessionStore } from '../auth/session.store';
import { AccountLanguage, LANGUAGE_API } from './account-language.service';
import { LanguageService } from './language.service';

describe('AccountLanguage', () => {
  const backend = (): HttpTestingController => TestBed.inject(HttpTestingController);
  const active = (): string => TestBed.inject(TranslocoService).getActiveLang();

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideTranslocoTesting()],
    });
  });

  afterEach(() => backend().verify());

  /** Lets the save's promise settle. */
  const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

  function start(): { service: AccountLanguage; language: LanguageService; store: SessionStore } {
    const service = TestBed.inject(AccountLanguage);
    TestBed.tick();
    return {
      service,
      language: TestBed.inject(LanguageService),
      store: TestBed.inject(SessionStore),
    };
  }

  it("applies the account's language when a session starts, and keeps <html lang> in step", async () => {
    const { service, language, store } = start();
    language.use('en');
    store.signIn(sessionInfo({ language: 'th' }));
    await service.applySession();
    expect(active()).toBe('th');
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('th');
    expect(language.active().nativeName).toBe('ไทย');
  });

  it('follows a sign-in made while the app runs (the effect), without writing anything', () => {
    const { store } = start();
    store.signIn(sessionInfo({ language: 'ko' }));
    TestBed.tick();
    expect(active()).toBe('ko');
    backend().expectNone(LANGUAGE_API);
  });

  it('leaves the language alone for an account that never chose one', async () => {
    const { service, language, store } = start();
    language.use('vi');
    store.signIn(sessionInfo({ language: null }));
    await service.applySession();
    TestBed.tick();
    expect(active()).toBe('vi');
    backend().expectNone(LANGUAGE_API);
  });

  it('saves a choice made while signed in to the account, and the session carries it', async () => {
    const { service, store } = start();
    store.signIn(sessionInfo({ language: 'th' }));
    TestBed.tick();

    service.select('zh-Hans');
    expect(active()).toBe('zh-Hans');
    const put = backend().expectOne(LANGUAGE_API);
    expect({ method: put.request.method, body: put.request.body }).toEqual({
      method: 'PUT',
      body: { language: 'zh-Hans' },
    });
    put.flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    TestBed.tick();
    expect(store.user()?.language).toBe('zh-Hans');
    expect(active()).toBe('zh-Hans');
  });

  it('keeps a choice made before sign-in only in memory, then saves it at sign-in', async () => {
    const { service, store } = start();
    service.select('ko');
    expect(active()).toBe('ko');
    backend().expectNone(LANGUAGE_API);

    store.signIn(sessionInfo({ language: 'th' }));
    TestBed.tick();
    expect(active()).toBe('ko');
    backend()
      .expectOne((req) => req.url === LANGUAGE_API && req.body?.language === 'ko')
      .flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    expect(store.user()?.language).toBe('ko');
  });

  it('keeps the choice on screen when saving fails', async () => {
    const { service, store } = start();
    store.signIn(sessionInfo({ language: 'th' }));
    TestBed.tick();
    service.select('vi');
    backend()
      .expectOne(LANGUAGE_API)
      .flush({ code: 'service_unavailable' }, { status: 503, statusText: 'Unavailable' });
    await settled();
    TestBed.tick();
    expect(active()).toBe('vi');
    expect(store.user()?.language).toBe('th');
  });

  it('never writes the language to browser storage', () => {
    const { service, store } = start();
    service.select('th');
    store.signIn(sessionInfo({ language: 'ko' }));
    TestBed.tick();
    backend().match(LANGUAGE_API);
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });
});
