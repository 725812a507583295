import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { REVEAL_PURPOSES, type RevealRequest } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { RevealDialog } from './reveal-dialog';

describe('RevealDialog', () => {
  let closed: RevealRequest | null | undefined;

  async function open(): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    closed = undefined;
    TestBed.inject(MatDialog)
      .open<RevealDialog, void, RevealRequest | null>(RevealDialog)
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
});
