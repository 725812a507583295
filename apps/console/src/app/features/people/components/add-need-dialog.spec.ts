import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoService } from '@jsverse/transloco';
import type { NewNeed } from '@harbour/domain';
import { Subject, type Observable } from 'rxjs';
import { AppError } from '../../../core/http/app-error';
import en from '../../../../assets/i18n/en.json';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { AddNeedDialog, type AddNeedDialogData } from './add-need-dialog';

describe('AddNeedDialog sending the need itself', () => {
  let closed: NewNeed | null | undefined;
  let sent: NewNeed[];
  let answer: Subject<unknown>;
  const submit = (need: NewNeed): Observable<unknown> => {
    sent.push(need);
    answer = new Subject<unknown>();
    return answer;
  };

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  async function open(language: string): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    closed = undefined;
    sent = [];
    TestBed.inject(MatDialog)
      .open<AddNeedDialog, AddNeedDialogData, NewNeed | null>(AddNeedDialog, { data: { submit } })
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
    byTestId('add-need-category').click();
    await stable();
    document.querySelector<HTMLElement>('mat-option[data-category="housing"]')!.click();
    await stable();
    byTestId('add-need-confirm').click();
    await stable();
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('marks the category the API refused, in Vietnamese, and stays open', async () => {
    await open('vi');
    expect(sent).toEqual([{ category: 'housing', priority: 'medium' }]);
    answer.error(
      new AppError('validation_failed', 400, undefined, {
        fields: [{ path: 'category', reason: 'isIn' }],
      }),
    );
    await stable();
    expect(closed).toBeUndefined();
    const vietnamese = TRANSLATIONS.vi as typeof en;
    expect(byTestId('add-need-category-error').textContent.trim()).toBe(
      vietnamese.errors.field.choose,
    );
    expect(byTestId('add-need-category').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('add-need-error')).toBeNull();
  });

  it('names an erased person in words in the banner (no control for it)', async () => {
    await open('en');
    answer.error(
      new AppError('validation_failed', 400, undefined, {
        fields: [{ path: 'personId', reason: 'erased' }],
      }),
    );
    await stable();
    const banner = byTestId('add-need-error').textContent;
    expect(banner).toContain(en.errors.fieldName.personId);
    expect(banner).toContain(en.errors.field.erased);
    expect(banner).not.toContain('personId');
  });

  it('closes with the need once it was saved', async () => {
    await open('en');
    answer.next({});
    answer.complete();
    await stable();
    expect(closed).toEqual({ category: 'housing', priority: 'medium' });
  });
});
