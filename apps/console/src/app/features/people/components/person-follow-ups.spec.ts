import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { FollowUpView } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import type { FormGroup } from '@angular/forms';
import { TranslocoService } from '@jsverse/transloco';
import { fieldControl } from '../../../core/forms/field-errors';
import { Clock } from '../../../core/time/clock';
import { ADD_FOLLOW_UP_PATHS, PersonFollowUps } from './person-follow-ups';

const NOW = new Date(2026, 5, 10, 12, 0, 0).getTime();
const PERSON = '0190a000-0000-7000-8000-0000000000aa';

function followUp(overrides: Partial<FollowUpView>): FollowUpView {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    personId: PERSON,
    personCode: 'HB-7K2Q-M9XF',
    needId: null,
    referralId: null,
    source: 'manual',
    text: 'Call back about the clinic',
    dueOn: '2026-06-12',
    assignedTo: '0190a000-0000-7000-8000-0000000000cc',
    assignedToName: 'Ana',
    status: 'open',
    snoozedCount: 0,
    completedAt: null,
    completedBy: null,
    createdBy: '0190a000-0000-7000-8000-0000000000cc',
    createdAt: '2026-06-01T09:00:00.000Z',
    version: 2,
    ...overrides,
  };
}

/** A person's follow-ups panel (person page). */
describe('PersonFollowUps', () => {
  let fixture: ComponentFixture<PersonFollowUps>;
  let backend: HttpTestingController;
  const root = (): HTMLElement => fixture.nativeElement as HTMLElement;

  async function open(items: FollowUpView[], mayWrite = true): Promise<void> {
    TestBed.configureTestingModule({
      imports: [PersonFollowUps],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideAppIcons(),
        provideNoAnimations(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        { provide: Clock, useValue: { now: () => NOW } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['caseworker'] }));
    fixture = TestBed.createComponent(PersonFollowUps);
    fixture.componentRef.setInput('personId', PERSON);
    fixture.componentRef.setInput('mayWrite', mayWrite);
    await fixture.whenStable();
    const list = backend.expectOne((r) => r.url === '/api/follow-ups');
    expect(list.request.params.get('person')).toBe(PERSON);
    list.flush(items);
    if (mayWrite) {
      backend
        .expectOne('/api/follow-ups/assignees')
        .flush([{ id: '0190a000-0000-7000-8000-0000000000ee', displayName: 'Bao' }]);
    }
    await settle();
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
  });

  it('says when there is nothing open, and offers no form to a reader', async () => {
    await open([], false);
    expect(byTestId('follow-ups-empty').textContent.trim()).toBe(en.followUps.none);
    expect(maybeByTestId('follow-up-add')).toBeNull();
  });

  it('lists open ones (overdue marked) and closed ones apart', async () => {
    await open([
      followUp({ id: '0190a000-0000-7000-8000-000000000002', dueOn: '2026-06-01', text: 'Late' }),
      followUp({}),
      followUp({
        id: '0190a000-0000-7000-8000-000000000003',
        status: 'done',
        text: 'Finished',
        completedAt: '2026-06-02T10:00:00.000Z',
      }),
    ]);
    const items = [...root().querySelectorAll<HTMLElement>('[data-testid="follow-up-item"]')];
    expect(items.map((i) => i.dataset['overdue'])).toEqual(['true', 'false']);
    expect(items[0]!.textContent).toContain('Late');
    expect(byTestId('follow-ups-closed').textContent).toContain('Finished');
  });

  it('adds one with text, due date and assignee, then reads the list and the badge again', async () => {
    await open([]);
    const text = root().querySelector<HTMLTextAreaElement>('[data-testid="follow-up-text"]')!;
    text.value = 'Call back about the clinic on Friday';
    text.dispatchEvent(new Event('input'));
    type(byTestId<HTMLInputElement>('follow-up-due'), '2026-06-12');
    byTestId<HTMLButtonElement>('follow-up-add').click();
    const post = backend.expectOne((r) => r.method === 'POST' && r.url === '/api/follow-ups');
    expect(post.request.body).toEqual({
      personId: PERSON,
      text: 'Call back about the clinic on Friday',
      dueOn: '2026-06-12',
    });
    expect(post.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    post.flush(followUp({}));
    backend
      .expectOne((r) => r.url === '/api/me/day/counts')
      .flush({ followUpsDue: 0, staleReferrals: 0 });
    backend.expectOne((r) => r.url === '/api/follow-ups').flush([followUp({})]);
    await settle();
    await fixture.whenStable();
    expect(byTestId('follow-ups-notice').textContent.trim()).toBe(en.followUps.added);
    expect(text.value).toBe('');
  });

  it('sends nothing for an empty text', async () => {
    await open([]);
    byTestId<HTMLButtonElement>('follow-up-add').click();
    backend.expectNone((r) => r.method === 'POST');
  });

  it('cancels with the version it shows, and shows a refusal in place', async () => {
    await open([followUp({})]);
    byTestId<HTMLButtonElement>('follow-up-cancel').click();
    const patch = backend.expectOne(`/api/follow-ups/${followUp({}).id}`);
    expect(patch.request.body).toEqual({ version: 2, action: 'cancel' });
    patch.flush(apiError('version_conflict'), { status: 409, statusText: 'Conflict' });
    backend.expectOne((r) => r.url === '/api/follow-ups').flush([followUp({ version: 3 })]);
    await settle();
    await fixture.whenStable();
    expect(byTestId('follow-ups-error').textContent).toContain(en.errors.version_conflict);
  });

  describe('a refused addition is shown on the field it concerns', () => {
    const write = (value: string): void => {
      const text = root().querySelector<HTMLTextAreaElement>('[data-testid="follow-up-text"]')!;
      text.value = value;
      text.dispatchEvent(new Event('input'));
    };
    const fieldError = (id: string): string =>
      byTestId(id).closest('mat-form-field')!.querySelector('mat-error')?.textContent.trim() ?? '';

    async function refresh(): Promise<void> {
      await settle();
      fixture.detectChanges();
      await fixture.whenStable();
    }

    it('maps each path of CreateFollowUpDto to a control, or says why not', async () => {
      await open([]);
      const form = (fixture.componentInstance as unknown as { form: FormGroup }).form;
      const notEditable = {
        personId: 'the person whose page this is',
        needId: 'a follow-up added here is linked to no need (never sent)',
        referralId: 'a follow-up added here is linked to no referral (never sent)',
      };
      expect(
        unmappedPaths(
          ['CreateFollowUpDto'],
          (path) => fieldControl(form, path, ADD_FOLLOW_UP_PATHS) !== null,
          notEditable,
        ),
      ).toEqual([]);
      expect(requestPaths('CreateFollowUpDto')).toContain('dueOn');
      expect(fieldControl(form, 'personId', ADD_FOLLOW_UP_PATHS)).toBeNull();
    });

    it('refuses in the browser a due date more than a year ahead, saying which days', async () => {
      await open([]);
      write('Call back');
      type(byTestId<HTMLInputElement>('follow-up-due'), '2028-01-01');
      byTestId<HTMLButtonElement>('follow-up-add').click();
      await refresh();
      backend.expectNone((r) => r.method === 'POST');
      expect(byTestId('follow-up-due').getAttribute('aria-invalid')).toBe('true');
      const message = fieldError('follow-up-due');
      expect(message).toContain('2027');
      expect(message).not.toContain('{{');
    });

    it("puts the API's refusal of the text under it, in Korean, with no banner", async () => {
      await open([]);
      TestBed.inject(TranslocoService).setActiveLang('ko');
      write('Call back');
      byTestId<HTMLButtonElement>('follow-up-add').click();
      backend
        .expectOne((r) => r.method === 'POST')
        .flush(
          {
            ...apiError('validation_failed'),
            fields: [{ path: 'text', reason: 'maxLength', limits: { maxLength: 500 } }],
          },
          { status: 400, statusText: 'Bad Request' },
        );
      backend.expectOne((r) => r.url === '/api/follow-ups').flush([]);
      await refresh();
      const korean = TRANSLATIONS.ko as typeof en;
      expect(fieldError('follow-up-text')).toBe(
        korean.errors.field.maxLength.replace('{{max}}', '500'),
      );
      expect(byTestId('follow-up-text').getAttribute('aria-invalid')).toBe('true');
      expect(maybeByTestId('follow-ups-error')).toBeNull();
    });

    it('marks the due date when the API says it is in the past', async () => {
      await open([]);
      write('Call back');
      byTestId<HTMLButtonElement>('follow-up-add').click();
      backend
        .expectOne((r) => r.method === 'POST')
        .flush(apiError('due_date_in_past'), { status: 400, statusText: 'Bad Request' });
      backend.expectOne((r) => r.url === '/api/follow-ups').flush([]);
      await refresh();
      expect(byTestId('follow-up-due').getAttribute('aria-invalid')).toBe('true');
      expect(fieldError('follow-up-due')).toContain('2026');
    });
  });
});
