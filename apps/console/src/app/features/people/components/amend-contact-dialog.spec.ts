import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import type { AmendContactRequest } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { provideNoAnimations } from '../../../../testing/material';
import { AmendContactDialog, type AmendContactData } from './amend-contact-dialog';

describe('AmendContactDialog', () => {
  let closed: AmendContactRequest | null | undefined;

  async function open(current: string | null | undefined): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), provideNoAnimations()],
    });
    closed = undefined;
    TestBed.inject(MatDialog)
      .open<AmendContactDialog, AmendContactData, AmendContactRequest | null>(AmendContactDialog, {
        data: { current },
      })
      .afterClosed()
      .subscribe((value) => (closed = value));
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    await settle();
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
  });

  it('starts from the note read on the page and sends the correction with its reason', async () => {
    await open('Wants a lawyer.');
    expect(maybeByTestId('amend-not-read')).toBeNull();
    const notes = byTestId<HTMLTextAreaElement>('amend-notes');
    expect(notes.value).toBe('Wants a lawyer.');
    type(notes as unknown as HTMLInputElement, 'Wants a housing adviser.');
    type(byTestId('amend-reason'), '  Notes were about the wrong visit  ');
    byTestId('amend-confirm').click();
    await stable();
    expect(closed).toEqual({
      reason: 'Notes were about the wrong visit',
      notes: 'Wants a housing adviser.',
    });
  });

  it('refuses a reason shorter than the minimum, spaces not counting', async () => {
    await open('x');
    type(byTestId('amend-reason'), '   short       ');
    byTestId('amend-confirm').click();
    await stable();
    expect(closed).toBeUndefined();
    expect(document.body.textContent).toContain(
      en.corrections.contact.reasonTooShort.replace('{{min}}', '10'),
    );
  });

  it('says when the note was not read, and withdraws the notes with null', async () => {
    await open(undefined);
    expect(byTestId('amend-not-read').textContent.trim()).toBe(en.corrections.contact.notRead);
    byTestId('amend-withdraw').querySelector('input')!.click();
    await stable();
    expect(maybeByTestId('amend-notes')).toBeNull();
    type(byTestId('amend-reason'), 'Belongs to another person');
    byTestId('amend-confirm').click();
    await stable();
    expect(closed).toEqual({ reason: 'Belongs to another person', notes: null });
  });
});
