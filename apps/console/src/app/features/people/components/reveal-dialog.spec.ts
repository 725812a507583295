import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoService } from '@jsverse/transloco';
import { REVEAL_PURPOSES, type RevealRequest } from '@harbour/domain';
import { Subject, type Observable } from 'rxjs';
import { AppError } from '../../../core/http/app-error';
import en from '../../../../assets/i18n/en.json';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { RevealDialog, type RevealDialogData } from './reveal-dialog';

describe('RevealDialog', () => {
  let closed: RevealRequest | null | undefined;

  async function open(data?: RevealDialogData, language = 'en'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    TestBed.inject(TranslocoService).setActiveLang(language);
    closed = undefined;
    TestBed.inject(MatDialog)
      .open<RevealDialog, RevealDialogData, RevealRequest | null>(RevealDialog, { data })
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  async function choose(purpose: string): Promise<void> {
    byTestId('reveal-purpose').click();
    await stable();
    document.querySelector<HTMLElement>(`mat-option[data-purpose="${purpose}"]`)!.click();
    await stable();
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('offers exactly the purposes of @harbour/domain, translated', async () => {
    await open();
    byTestId('reveal-purpose').click();
    await stable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((o) => o.dataset['purpose'])).toEqual([...REVEAL_PURPOSES]);
    expect(options.map((o) => o.textContent.trim())).toEqual(
      REVEAL_PURPOSES.map((p) => en.taxonomy.revealPurpose[p]),
    );
  });

  it('has every purpose and the detail hint in all five languages', () => {
    for (const [language, translation] of Object.entries(TRANSLATIONS)) {
      const t = translation as typeof en;
      for (const purpose of REVEAL_PURPOSES) {
        expect({ language, purpose, label: typeof t.taxonomy.revealPurpose[purpose] }).toEqual({
          language,
          purpose,
          label: 'string',
        });
      }
      expect(typeof t.cases.reveal.detailHint).toBe('string');
      expect((t.cases.reveal as Record<string, unknown>)['purposeHint']).toBeUndefined();
    }
  });

  it('says the detail is encrypted with the person and must not hold a name', async () => {
    await open();
    const hint = byTestId('reveal-dialog').textContent;
    expect(hint).toContain(en.cases.reveal.detailHint);
    expect(en.cases.reveal.detailHint).toMatch(/encrypted/i);
    expect(en.cases.reveal.detailHint).toMatch(/not write a name/i);
  });

  it('does not close without a purpose', async () => {
    await open();
    byTestId<HTMLButtonElement>('reveal-confirm').click();
    await stable();
    expect(closed).toBeUndefined();
    expect(maybeByTestId('reveal-dialog')).not.toBeNull();
    expect(byTestId('reveal-dialog').textContent).toContain(en.cases.reveal.purposeRequired);
  });

  it('closes with the category alone when no detail was written', async () => {
    await open();
    await choose('appointment');
    byTestId<HTMLButtonElement>('reveal-confirm').click();
    await stable();
    expect(closed).toEqual({ purpose: 'appointment' });
  });

  it('closes with the category and the detail, trimmed', async () => {
    await open();
    await choose('court');
    type(byTestId<HTMLInputElement>('reveal-detail'), '  hearing on Monday  ');
    byTestId<HTMLButtonElement>('reveal-confirm').click();
    await stable();
    expect(closed).toEqual({ purpose: 'court', detail: 'hearing on Monday' });
  });

  describe('sending the request itself', () => {
    let sent: RevealRequest[];
    let answer: Subject<unknown>;
    const submit = (request: RevealRequest): Observable<unknown> => {
      sent.push(request);
      answer = new Subject<unknown>();
      return answer;
    };

    beforeEach(() => {
      sent = [];
    });

    it('stays open on a too-short reason and says under the field how long it must be', async () => {
      await open({ submit }, 'th');
      await choose('court');
      type(byTestId<HTMLInputElement>('reveal-detail'), 'short');
      byTestId<HTMLButtonElement>('reveal-confirm').click();
      await stable();
      expect(sent).toEqual([{ purpose: 'court', detail: 'short' }]);
      answer.error(
        new AppError('validation_failed', 400, 'corr-1', {
          fields: [{ path: 'detail', reason: 'minLength', limits: { minLength: 12 } }],
        }),
      );
      await stable();
      expect(closed).toBeUndefined();
      const message = byTestId('reveal-detail-error').textContent.trim();
      const thai = (TRANSLATIONS.th as typeof en).errors.field.minLength;
      expect(message).toBe(thai.replace('{{min}}', '12'));
      expect(byTestId<HTMLTextAreaElement>('reveal-detail').getAttribute('aria-invalid')).toBe(
        'true',
      );
      // Every refused field is on its control: no banner, and never the raw path or reason.
      expect(maybeByTestId('reveal-error')).toBeNull();
      expect(byTestId('reveal-dialog').textContent).not.toMatch(/minLength|validation_failed/);
    });

    it('names in words a refused field the dialog has no control for', async () => {
      await open({ submit });
      await choose('court');
      byTestId<HTMLButtonElement>('reveal-confirm').click();
      await stable();
      answer.error(
        new AppError('validation_failed', 400, undefined, {
          fields: [{ path: 'personId', reason: 'erased' }],
        }),
      );
      await stable();
      expect(closed).toBeUndefined();
      const banner = byTestId('reveal-error').textContent;
      expect(banner).toContain(en.errors.fieldName.personId);
      expect(banner).toContain(en.errors.field.erased);
      expect(banner).not.toContain('personId');
    });

    it('closes with the request once the reveal succeeded', async () => {
      await open({ submit });
      await choose('appointment');
      byTestId<HTMLButtonElement>('reveal-confirm').click();
      await stable();
      expect(closed).toBeUndefined();
      answer.next({ identity: {} });
      answer.complete();
      await stable();
      expect(closed).toEqual({ purpose: 'appointment' });
    });
  });
});
