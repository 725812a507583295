import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  OUTCOME_DOMAINS,
  OUTCOME_RATINGS,
  type CheckInView,
  type OutcomeRatings,
} from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting, TRANSLATIONS } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError } from '../../../../testing/session';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import type { FormGroup } from '@angular/forms';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { fieldControl } from '../../../core/forms/field-errors';
import { anchorKey, PersonOutcomes } from './person-outcomes';

const URL = '/api/persons/p-1/check-ins';
/** 22 November 2026, mid-morning in UTC (the same day in the browser's zone in these tests). */
const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);

const NONE: OutcomeRatings = {
  safety: null,
  legal_status: null,
  health_wellbeing: null,
  work_money: null,
  housing: null,
  social_support: null,
};

function checkIn(id: string, checkedOn: string, ratings: Partial<OutcomeRatings>): CheckInView {
  return {
    id,
    personId: 'p-1',
    checkedOn,
    ratings: { ...NONE, ...ratings },
    createdBy: 'u-1',
    createdAt: `${checkedOn}T10:00:00.000Z`,
  };
}

describe('PersonOutcomes', () => {
  let fixture: ComponentFixture<PersonOutcomes>;
  let backend: HttpTestingController;

  async function render(mayWrite: boolean, checkIns: CheckInView[]): Promise<void> {
    TestBed.configureTestingModule({
      imports: [PersonOutcomes],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        { provide: Clock, useValue: { now: () => NOW, setTimeout: () => () => undefined } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PersonOutcomes);
    fixture.componentRef.setInput('personId', 'p-1');
    fixture.componentRef.setInput('mayWrite', mayWrite);
    fixture.detectChanges();
    backend.expectOne(URL).flush(checkIns);
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
  }

  function choose(domain: string, rating: number | 'skip'): void {
    const input = document.querySelector<HTMLInputElement>(
      `fieldset[data-domain="${domain}"] label[data-rating="${rating}"] input`,
    )!;
    input.click();
  }

  afterEach(() => {
    backend.verify();
  });

  it('shows each area’s latest rating in plain words and how it moved since the one before', async () => {
    await render(false, [
      checkIn('c-3', '2026-11-20', { safety: 4, housing: 2 }),
      checkIn('c-2', '2026-10-01', { safety: 2, legal_status: 3 }),
      checkIn('c-1', '2026-09-01', { housing: 3, legal_status: 3 }),
    ]);

    expect(byTestId('outcomes-last').textContent).toContain('Nov 20, 2026');
    const row = (domain: string) =>
      byTestId('outcomes-trend').querySelector<HTMLElement>(`li[data-domain="${domain}"]`)!;
    expect(row('safety').textContent).toContain('Safety');
    expect(row('safety').textContent).toContain('4');
    expect(row('safety').textContent).toContain('Good');
    const safety = row('safety').querySelector('[data-change]')!;
    expect(safety.getAttribute('data-change')).toBe('improved');
    expect(safety.querySelector('[data-testid="outcome-change-text"]')?.textContent).toBe(
      'Better since the check-in before (was 2)',
    );
    expect(safety.textContent).toContain('↑ 2→4');
    // Housing was last rated 2, after 3: worse. Legal status was rated the same twice.
    expect(row('housing').querySelector('[data-change]')?.getAttribute('data-change')).toBe(
      'worsened',
    );
    expect(row('housing').textContent).toContain('Not good');
    expect(row('legal_status').querySelector('[data-change]')?.getAttribute('data-change')).toBe(
      'same',
    );
    // Never rated: said so, no number.
    expect(row('work_money').textContent).toContain('Not rated yet');
    // Without case:write there is no check-in form.
    expect(maybeByTestId('outcomes-start')).toBeNull();
  });

  it('records a check-in with the person: skipped areas as null, then reads the list again', async () => {
    await render(true, []);
    expect(byTestId('outcomes-none').textContent).toContain('No check-ins yet.');
    byTestId('outcomes-start').click();
    await stable();

    // Every area has five points in plain words and "Not discussed", which is the default.
    for (const domain of OUTCOME_DOMAINS) {
      const points = document.querySelectorAll(`fieldset[data-domain="${domain}"] label`);
      expect(points).toHaveLength(OUTCOME_RATINGS.length + 1);
    }
    expect(
      document.querySelector('fieldset[data-domain="safety"] label[data-rating="1"]')?.textContent,
    ).toContain('Very unsafe');
    expect(byTestId<HTMLInputElement>('outcomes-date').value).toBe('2026-11-22');
    expect(byTestId<HTMLButtonElement>('outcomes-save').disabled).toBe(true);
    expect(byTestId('outcomes-none-rated').textContent).toContain('at least one area');

    choose('safety', 5);
    choose('housing', 2);
    choose('housing', 3);
    choose('legal_status', 1);
    choose('legal_status', 'skip');
    await stable();
    expect(byTestId<HTMLButtonElement>('outcomes-save').disabled).toBe(false);
    byTestId<HTMLButtonElement>('outcomes-save').click();
    await stable();

    const post = backend.expectOne((r) => r.method === 'POST' && r.url === URL);
    expect(post.request.headers.get('Idempotency-Key')).toBeTruthy();
    expect(post.request.body).toEqual({
      checkedOn: '2026-11-22',
      ratings: { ...NONE, safety: 5, housing: 3 },
    });
    post.flush(checkIn('c-1', '2026-11-22', { safety: 5, housing: 3 }));
    backend
      .expectOne((r) => r.method === 'GET' && r.url === URL)
      .flush([checkIn('c-1', '2026-11-22', { safety: 5, housing: 3 })]);
    await stable();

    expect(byTestId('outcomes-notice').textContent).toContain('Check-in saved.');
    expect(maybeByTestId('outcomes-save')).toBeNull();
    expect(byTestId('outcomes-trend').textContent).toContain('First rating');
  });

  it('puts a refused date under the date, with the days it may take, and keeps the form', async () => {
    await render(true, []);
    byTestId('outcomes-start').click();
    await stable();
    choose('safety', 3);
    await stable();
    byTestId<HTMLButtonElement>('outcomes-save').click();
    await stable();

    backend
      .expectOne((r) => r.method === 'POST')
      .flush(
        {
          ...apiError('validation_failed'),
          fields: [
            {
              path: 'checkedOn',
              reason: 'beforePerson',
              limits: { earliest: '2026-03-02', latest: '2026-06-10' },
            },
          ],
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await stable();
    fixture.detectChanges();
    await stable();

    const message = byTestId('outcomes-date-error').textContent.trim();
    expect(message).toMatch(/^Enter a date between .*2026 and .*2026\.$/);
    expect(message).toContain('Mar');
    expect(byTestId('outcomes-date').getAttribute('aria-invalid')).toBe('true');
    // Every refused field is on its control: no banner.
    expect(maybeByTestId('outcomes-error')).toBeNull();
    // The form stays open with what was chosen, to correct the date.
    expect(byTestId<HTMLButtonElement>('outcomes-save').disabled).toBe(false);
  });

  it('has every area’s question and scale words in all five languages', () => {
    for (const [language, translation] of Object.entries(TRANSLATIONS)) {
      const outcomes = (translation as typeof en).outcomes;
      for (const domain of OUTCOME_DOMAINS) {
        const words = outcomes.domains[domain];
        for (const text of [words.name, words.question, words.low, words.high]) {
          expect({ language, domain, ok: typeof text === 'string' && text.length > 0 }).toEqual({
            language,
            domain,
            ok: true,
          });
        }
        if (language !== 'en') {
          // Really translated, not English left in place.
          expect({
            language,
            domain,
            same: words.question === en.outcomes.domains[domain].question,
          }).toEqual({ language, domain, same: false });
        }
      }
      for (const rating of OUTCOME_RATINGS) {
        expect(anchorKey('safety', rating)).toMatch(/^outcomes\./);
      }
    }
  });

  it("says in the banner, in this form's words, that no area was rated", async () => {
    await render(true, []);
    byTestId('outcomes-start').click();
    await stable();
    choose('safety', 3);
    await stable();
    byTestId<HTMLButtonElement>('outcomes-save').click();
    await stable();
    backend
      .expectOne((r) => r.method === 'POST')
      .flush(
        { ...apiError('validation_failed'), fields: [{ path: 'ratings', reason: 'noneRated' }] },
        { status: 400, statusText: 'Bad Request' },
      );
    await stable();
    fixture.detectChanges();
    await stable();
    const banner = byTestId('outcomes-error').textContent;
    expect(banner).toContain(en.outcomes.errors.noneRated);
    expect(banner).not.toContain('noneRated');
  });

  it('refuses a date in the future in the browser, saying until when', async () => {
    await render(true, []);
    byTestId('outcomes-start').click();
    await stable();
    choose('safety', 3);
    type(byTestId<HTMLInputElement>('outcomes-date'), '2027-01-15');
    await stable();
    byTestId<HTMLButtonElement>('outcomes-save').click();
    await stable();
    backend.expectNone((r) => r.method === 'POST');
    fixture.detectChanges();
    await stable();
    expect(byTestId('outcomes-date-error').textContent).toContain('2026');
  });

  it('maps each path of RecordCheckInDto to a control', async () => {
    await render(true, []);
    const form = (fixture.componentInstance as unknown as { form: FormGroup }).form;
    expect(
      unmappedPaths(['RecordCheckInDto'], (path) => fieldControl(form, path) !== null, {}),
    ).toEqual([]);
    expect(requestPaths('RecordCheckInDto')).toContain('ratings.safety');
    expect(fieldControl(form, 'ratings.safety')).toBe(form.get('ratings.safety'));
  });
});
