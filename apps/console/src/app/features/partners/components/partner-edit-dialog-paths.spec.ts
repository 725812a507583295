import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoService } from '@jsverse/transloco';
import type { PartnerView } from '@harbour/domain';
import { Subject, type Observable } from 'rxjs';
import type en from '../../../../assets/i18n/en.json';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { fieldControl } from '../../../core/forms/field-errors';
import { AppError } from '../../../core/http/app-error';
import { provideAppIcons } from '../../../core/icons/icons';
import { PARTNER_PATHS } from '../data/partner-paths';
import { PartnerEditDialog, type PartnerEdit, type PartnerEditData } from './partner-edit-dialog';

const PARTNER = {
  id: 'pa-1',
  name: 'Clinic',
  serviceType: 'health',
  languages: ['thai'],
  sexWorkerFriendly: true,
  noIdRequired: false,
  immigrationSafe: false,
  interpreters: false,
  free: true,
  contactDetails: null,
  active: true,
  version: 4,
} as unknown as PartnerView;

/** Not typed in the dialog: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  version: "the partner's own version, as the directory read it",
  active: 'deactivated or reactivated by its own button on the card, not in this dialog',
};

describe('partner edit dialog: every API field has a control, and a refusal marks it', () => {
  let closed: PartnerEdit | null | undefined;
  let sent: PartnerEdit[];
  let answer: Subject<unknown>;
  const submit = (changes: PartnerEdit): Observable<unknown> => {
    sent.push(changes);
    answer = new Subject<unknown>();
    return answer;
  };

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  async function open(language = 'en'): Promise<FormGroup> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations(), provideAppIcons()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    closed = undefined;
    sent = [];
    const ref = TestBed.inject(MatDialog).open<
      PartnerEditDialog,
      PartnerEditData,
      PartnerEdit | null
    >(PartnerEditDialog, { data: { partner: PARTNER, submit } });
    ref.afterClosed().subscribe((value) => (closed = value));
    await stable();
    return (ref.componentInstance as unknown as { form: FormGroup }).form;
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('maps each path of UpdatePartnerDto to a control', async () => {
    const form = await open();
    expect(
      unmappedPaths(
        ['UpdatePartnerDto'],
        (path) => fieldControl(form, path, PARTNER_PATHS) !== null,
        NOT_EDITABLE,
      ),
    ).toEqual([]);
    expect(requestPaths('UpdatePartnerDto')).toContain('free');
    expect(fieldControl(form, 'free', PARTNER_PATHS)).toBe(form.get('safety'));
  });

  it('marks the name the API refused, in Vietnamese, and stays open', async () => {
    await open('vi');
    type(byTestId<HTMLInputElement>('partner-edit-name'), 'Clinic North');
    byTestId('partner-edit-confirm').click();
    await stable();
    expect(sent).toEqual([{ name: 'Clinic North' }]);
    answer.error(
      new AppError('validation_failed', 400, undefined, {
        fields: [{ path: 'name', reason: 'maxLength', limits: { maxLength: 200 } }],
      }),
    );
    await stable();
    expect(closed).toBeUndefined();
    const vietnamese = TRANSLATIONS.vi as typeof en;
    const max = new Intl.NumberFormat('vi', { maximumFractionDigits: 0 }).format(200);
    expect(byTestId('partner-edit-name-error').textContent.trim()).toBe(
      vietnamese.errors.field.maxLength.replace('{{max}}', max),
    );
    expect(byTestId('partner-edit-name').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('partner-edit-error')).toBeNull();
  });

  it('closes with the changes once they were saved', async () => {
    await open();
    type(byTestId<HTMLInputElement>('partner-edit-name'), 'Clinic North');
    byTestId('partner-edit-confirm').click();
    await stable();
    answer.next({});
    answer.complete();
    await stable();
    expect(closed).toEqual({ name: 'Clinic North' });
  });
});
