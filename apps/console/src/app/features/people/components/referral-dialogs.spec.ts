import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoService } from '@jsverse/transloco';
import type { NeedView, PartnerView, ReferralView } from '@harbour/domain';
import { Subject, type Observable } from 'rxjs';
import { AppError } from '../../../core/http/app-error';
import en from '../../../../assets/i18n/en.json';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { ReferDialog, type ReferDialogData, type ReferDialogResult } from './refer-dialog';
import {
  TransitionDialog,
  type TransitionDialogData,
  type TransitionDialogResult,
} from './transition-dialog';

const need = { id: 'need-1', category: 'health' } as unknown as NeedView;
const partner = {
  id: 'partner-1',
  name: 'Clinic',
  serviceType: 'health',
  active: true,
} as unknown as PartnerView;
const draft = { id: 'ref-1', status: 'draft', consent: null, version: 3 } as ReferralView;

describe('referral dialogs: a refusal is shown on the control it concerns', () => {
  let closed: unknown;
  let sent: unknown[];
  let answer: Subject<unknown>;
  function submit<T>(result: T): Observable<unknown> {
    sent.push(result);
    answer = new Subject<unknown>();
    return answer;
  }

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  async function openRefer(language = 'en'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    const data: ReferDialogData = { need, partners: [partner], submit };
    TestBed.inject(MatDialog)
      .open<ReferDialog, ReferDialogData, ReferDialogResult | null>(ReferDialog, { data })
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
  }

  async function openTransition(mayOverride: boolean, language = 'en'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    const data: TransitionDialogData = { referral: draft, mayOverride, submit };
    TestBed.inject(MatDialog)
      .open<TransitionDialog, TransitionDialogData, TransitionDialogResult | null>(
        TransitionDialog,
        { data },
      )
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
  }

  async function choosePartner(): Promise<void> {
    byTestId('refer-partner').click();
    await stable();
    document.querySelector<HTMLElement>('[data-testid="refer-partner-option"]')!.click();
    await stable();
  }

  beforeEach(() => {
    closed = undefined;
    sent = [];
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('refer: marks the partner the API refused, in Thai, and stays open', async () => {
    await openRefer('th');
    await choosePartner();
    byTestId('refer-confirm').click();
    await stable();
    expect(sent).toEqual([{ partnerId: 'partner-1' }]);
    answer.error(
      new AppError('validation_failed', 400, 'corr-1', {
        fields: [{ path: 'partnerId', reason: 'unknown' }],
      }),
    );
    await stable();
    expect(closed).toBeUndefined();
    const thai = TRANSLATIONS.th as typeof en;
    expect(byTestId('refer-partner-error').textContent.trim()).toBe(
      thai.errors.field.unknownRecord,
    );
    expect(byTestId('refer-partner').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('refer-error')).toBeNull();
    expect(byTestId('refer-dialog').textContent).not.toMatch(/partnerId|validation_failed/);
  });

  it('refer: names in words a refused need (no control), never the path', async () => {
    await openRefer();
    await choosePartner();
    byTestId('refer-confirm').click();
    await stable();
    answer.error(
      new AppError('validation_failed', 400, undefined, {
        fields: [{ path: 'needId', reason: 'unknown' }],
      }),
    );
    await stable();
    const banner = byTestId('refer-error').textContent;
    expect(banner).toContain(en.errors.fieldName.needId);
    expect(banner).toContain(en.errors.field.unknownRecord);
    expect(banner).not.toContain('needId');
  });

  it('refer: a consent with nothing to share is refused in the browser, not sent', async () => {
    await openRefer();
    await choosePartner();
    byTestId('consent-given').querySelector('input')!.click();
    await stable();
    for (const scope of ['needs', 'circumstances']) {
      byTestId(`consent-scope-${scope}`)
        .querySelector<HTMLElement>('.mat-mdc-chip-action')!
        .click();
    }
    await stable();
    byTestId('refer-confirm').click();
    await stable();
    expect(sent).toEqual([]);
    expect(byTestId('consent-scope-error').textContent.trim()).toBe(en.errors.field.chooseMore);
  });

  it('refer: closes with the result once the referral was saved', async () => {
    await openRefer();
    await choosePartner();
    byTestId('refer-confirm').click();
    await stable();
    expect(closed).toBeUndefined();
    answer.next({});
    answer.complete();
    await stable();
    expect(closed).toEqual({ partnerId: 'partner-1' });
  });

  it('transition: a too-short reason to go ahead is refused in the browser with its limit', async () => {
    await openTransition(true);
    // A draft moves to "consented" first (chosen already): consent, or a coordinator's reason.
    type(byTestId<HTMLInputElement>('transition-override-reason'), 'ok');
    byTestId('transition-confirm').click();
    await stable();
    expect(sent).toEqual([]);
    expect(byTestId('transition-override-reason-error').textContent.trim()).toBe(
      en.errors.field.minLength.replace('{{min}}', '3'),
    );
  });

  it('transition: marks the reason the API refused, with its bounds, and stays open', async () => {
    await openTransition(true, 'ko');
    // A draft moves to "consented" first (chosen already): consent, or a coordinator's reason.
    type(byTestId<HTMLInputElement>('transition-override-reason'), 'urgent safety');
    byTestId('transition-confirm').click();
    await stable();
    expect(sent).toEqual([{ to: 'consented', overrideReason: 'urgent safety' }]);
    answer.error(
      new AppError('validation_failed', 400, undefined, {
        fields: [{ path: 'overrideReason', reason: 'maxLength', limits: { maxLength: 1000 } }],
      }),
    );
    await stable();
    expect(closed).toBeUndefined();
    const korean = TRANSLATIONS.ko as typeof en;
    const max = new Intl.NumberFormat('ko', { maximumFractionDigits: 0 }).format(1000);
    expect(byTestId('transition-override-reason-error').textContent.trim()).toBe(
      korean.errors.field.maxLength.replace('{{max}}', max),
    );
    expect(byTestId('transition-override-reason').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('transition-error')).toBeNull();
  });
});
