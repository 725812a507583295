import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { LanguageGroup, PersonView, Role } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { freshStepUp, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FileDownload } from '../../../core/ui/file-download';
import { SubjectExport } from './subject-export';

function person(overrides: Partial<PersonView> = {}): PersonView {
  return {
    id: 'p-1',
    code: 'HB-AAAA-BBBB',
    version: 3,
    ageBand: 'unknown',
    regionOfOrigin: 'unknown',
    languageGroup: null,
    genderIdentity: null,
    consentToReporting: false,
    hasIdentity: true,
    identityFields: ['givenName'],
    erasedAt: null,
    restricted: false,
    mergedInto: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

class FakeDownload {
  readonly saved: { content: string; fileName: string; type: string }[] = [];
  save(content: string, fileName: string, type: string): void {
    this.saved.push({ content, fileName, type });
  }
}

/** "Export this person's data" and "Download erasure receipt" on a person's page. */
describe('SubjectExport', () => {
  let fixture: ComponentFixture<SubjectExport>;
  let backend: HttpTestingController;
  let download: FakeDownload;

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    fixture.detectChanges();
    await settle();
  }

  async function setUp(role: Role, p: PersonView): Promise<void> {
    download = new FakeDownload();
    TestBed.configureTestingModule({
      imports: [SubjectExport],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        { provide: FileDownload, useValue: download },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: [role], stepUpUntil: freshStepUp() }));
    fixture = TestBed.createComponent(SubjectExport);
    fixture.componentRef.setInput('person', p);
    fixture.detectChanges();
    await stable();
  }

  afterEach(() => backend.verify());

  it('is not offered to caseworkers', async () => {
    await setUp('caseworker', person());
    expect(maybeByTestId('subject-export-open')).toBeNull();
    expect(maybeByTestId('erasure-receipt-download')).toBeNull();
  });

  it.each<[LanguageGroup | null, string]>([
    ['thai', 'th'],
    ['chinese_mandarin', 'zh-Hans'],
    ['korean', 'ko'],
    ['vietnamese', 'vi'],
    ['spanish', 'en'],
    [null, 'en'],
  ])(
    'proposes the language of a person speaking %s (%s) and downloads their data',
    async (group, language) => {
      await setUp('coordinator', person({ languageGroup: group }));
      const open = byTestId('subject-export-open');
      expect(open.textContent).toContain(en.subjectExport.button);
      open.click();
      await stable();
      const confirm = byTestId<HTMLButtonElement>('subject-export-confirm');
      // No purpose yet: nothing can be sent.
      expect(confirm.disabled).toBe(true);
      const purpose = byTestId<HTMLTextAreaElement>('subject-export-purpose');
      purpose.value = '  The person asked for a copy.  ';
      purpose.dispatchEvent(new Event('input'));
      await stable();
      expect(confirm.disabled).toBe(false);
      confirm.click();
      await stable();
      const request = backend.expectOne({ method: 'POST', url: '/api/persons/p-1/subject-export' });
      expect(request.request.body).toEqual({
        language,
        format: 'html',
        purpose: 'The person asked for a copy.',
      });
      expect(request.request.responseType).toBe('text');
      request.flush('<!doctype html><html lang="x"></html>');
      await stable();
      expect(download.saved).toEqual([
        {
          content: '<!doctype html><html lang="x"></html>',
          fileName: 'harbour-HB-AAAA-BBBB-own-data.html',
          type: 'text/html',
        },
      ]);
    },
  );

  it('offers the erasure receipt, without a purpose, for an erased person', async () => {
    await setUp(
      'coordinator',
      person({ erasedAt: '2026-02-01T00:00:00.000Z', languageGroup: 'korean' }),
    );
    expect(maybeByTestId('subject-export-open')).toBeNull();
    const open = byTestId('erasure-receipt-download');
    expect(open.textContent).toContain(en.subjectExport.receiptButton);
    open.click();
    await stable();
    expect(maybeByTestId('subject-export-purpose')).toBeNull();
    byTestId('subject-export-confirm').click();
    await stable();
    const request = backend.expectOne(
      (r) => r.method === 'GET' && r.url === '/api/persons/p-1/erasure-receipt',
    );
    expect(request.request.params.get('format')).toBe('html');
    expect(request.request.params.get('language')).toBe('ko');
    request.flush('<html></html>');
    await stable();
    expect(download.saved[0]?.fileName).toBe('harbour-HB-AAAA-BBBB-erasure-receipt.html');
  });

  it('saves nothing when the API refuses', async () => {
    await setUp('coordinator', person());
    byTestId('subject-export-open').click();
    await stable();
    const purpose = byTestId<HTMLTextAreaElement>('subject-export-purpose');
    purpose.value = 'The person asked for a copy.';
    purpose.dispatchEvent(new Event('input'));
    await stable();
    byTestId('subject-export-confirm').click();
    await stable();
    backend
      .expectOne('/api/persons/p-1/subject-export')
      .flush(JSON.stringify({ code: 'forbidden' }), { status: 403, statusText: 'Forbidden' });
    await stable();
    expect(download.saved).toEqual([]);
    expect(byTestId<HTMLButtonElement>('subject-export-open').disabled).toBe(false);
  });
});
