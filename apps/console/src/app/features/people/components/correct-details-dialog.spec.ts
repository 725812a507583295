import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import type { PersonIdentityInput, PersonView, UpdatePersonRequest } from '@harbour/domain';
import { TranslocoService } from '@jsverse/transloco';
import { Subject, type Observable } from 'rxjs';
import en from '../../../../assets/i18n/en.json';
import { AppError } from '../../../core/http/app-error';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { CorrectDetailsDialog, type CorrectDetailsData } from './correct-details-dialog';

const PERSON: PersonView = {
  id: 'p-1',
  code: 'HB-0000-0001',
  version: 7,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: 'thai',
  genderIdentity: null,
  consentToReporting: false,
  hasIdentity: true,
  identityFields: ['givenName', 'phone'],
  erasedAt: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('CorrectDetailsDialog', () => {
  let closed: UpdatePersonRequest | null | undefined;

  async function open(
    revealed: PersonIdentityInput | null,
    submit?: CorrectDetailsData['submit'],
    language = 'en',
  ): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    closed = undefined;
    const data: CorrectDetailsData = { person: PERSON, revealed, ...(submit ? { submit } : {}) };
    TestBed.inject(MatDialog)
      .open<CorrectDetailsDialog, CorrectDetailsData, UpdatePersonRequest | null>(
        CorrectDetailsDialog,
        { data },
      )
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  const input = (field: string) => byTestId<HTMLInputElement>(`correct-${field}`);

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('reads no identity: fields start empty, say so, and offer "Remove" only for held fields', async () => {
    await open(null);
    expect(byTestId('correct-identity-hint').textContent.trim()).toBe(
      en.corrections.details.identityHintHidden,
    );
    for (const field of ['givenName', 'familyName', 'alias', 'phone']) {
      expect(input(field).value).toBe('');
    }
    expect(maybeByTestId('clear-givenName')).not.toBeNull();
    expect(maybeByTestId('clear-phone')).not.toBeNull();
    expect(maybeByTestId('clear-familyName')).toBeNull();
    expect(maybeByTestId('clear-sex')).toBeNull();
  });

  it('says when nothing changed instead of sending an empty correction', async () => {
    await open(null);
    byTestId('correct-confirm').click();
    await stable();
    expect(closed).toBeUndefined();
    expect(byTestId('correct-unchanged').textContent.trim()).toBe(en.corrections.details.unchanged);
  });

  it('sends a typed correction and an explicit removal, with the version read', async () => {
    await open(null);
    type(input('familyName'), 'Jaidee');
    byTestId('clear-phone').querySelector('input')!.click();
    await stable();
    expect(input('phone').disabled).toBe(true);
    byTestId('correct-confirm').click();
    await stable();
    expect(closed).toEqual({ version: 7, identity: { familyName: 'Jaidee', phone: null } });
  });

  it('starts from the identity revealed on the page', async () => {
    await open({ givenName: 'Somchai', phone: '+66 81 000 0000' });
    expect(byTestId('correct-identity-hint').textContent.trim()).toBe(
      en.corrections.details.identityHintRevealed,
    );
    expect(input('givenName').value).toBe('Somchai');
    type(input('givenName'), 'Somchay');
    byTestId('correct-confirm').click();
    await stable();
    expect(closed).toEqual({ version: 7, identity: { givenName: 'Somchay' } });
  });

  describe('sending the correction itself', () => {
    let sent: UpdatePersonRequest[];
    let answer: Subject<unknown>;
    const submit = (request: UpdatePersonRequest): Observable<unknown> => {
      sent.push(request);
      answer = new Subject<unknown>();
      return answer;
    };

    beforeEach(() => {
      sent = [];
    });

    it('marks the phone the API refused, in Thai, and stays open', async () => {
      await open(null, submit, 'th');
      type(input('phone'), '+66 81 000 0000');
      byTestId('correct-confirm').click();
      await stable();
      expect(sent).toEqual([{ version: 7, identity: { phone: '+66 81 000 0000' } }]);
      answer.error(
        new AppError('validation_failed', 400, undefined, {
          fields: [{ path: 'identity.phone', reason: 'isPhoneNumber' }],
        }),
      );
      await stable();
      expect(closed).toBeUndefined();
      expect(input('phone').getAttribute('aria-invalid')).toBe('true');
      const thai = TRANSLATIONS.th as typeof en;
      expect(byTestId('correct-details-dialog').textContent).toContain(thai.errors.field.phone);
      expect(maybeByTestId('correct-error')).toBeNull();
      expect(byTestId('correct-details-dialog').textContent).not.toMatch(/identity\.phone/);
    });

    it('names a refused version in words in the banner (no control for it)', async () => {
      await open(null, submit, 'th');
      type(input('familyName'), 'Jaidee');
      byTestId('correct-confirm').click();
      await stable();
      answer.error(
        new AppError('validation_failed', 400, undefined, {
          fields: [{ path: 'version', reason: 'min', limits: { min: 1 } }],
        }),
      );
      await stable();
      const banner = byTestId('correct-error').textContent;
      const thai = TRANSLATIONS.th as typeof en;
      expect(banner).toContain(thai.errors.fieldName.version);
      expect(banner).not.toMatch(/version|\bmin\b/);
    });

    it('closes with the request once the correction was saved', async () => {
      await open(null, submit);
      type(input('familyName'), 'Jaidee');
      byTestId('correct-confirm').click();
      await stable();
      expect(closed).toBeUndefined();
      answer.next(PERSON);
      answer.complete();
      await stable();
      expect(closed).toEqual({ version: 7, identity: { familyName: 'Jaidee' } });
    });
  });
});
