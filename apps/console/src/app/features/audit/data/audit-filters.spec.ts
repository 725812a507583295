import { BEN_ID, CHI_ID } from '../../../../testing/audit';
import type { FilterFormValue } from './audit-filters';
import {
  dateInputValue,
  endOfDay,
  exportFileName,
  filtersFromForm,
  formFromFilters,
  hasFilters,
  NO_FILTERS,
  startOfDay,
  toParams,
  toQuery,
} from './audit-filters';

const EMPTY_FORM: FilterFormValue = {
  actor: '',
  action: '',
  resource: '',
  outcome: '',
  from: '',
  to: '',
};

// Expected values are built with the same local-time constructors, so these tests hold in any
// time zone the suite runs in.
describe('audit filters', () => {
  it('reads date inputs as whole local days, "to" inclusive', () => {
    expect(startOfDay('2026-01-05')).toBe(new Date(2026, 0, 5).toISOString());
    expect(endOfDay('2026-01-05')).toBe(new Date(2026, 0, 5, 23, 59, 59, 999).toISOString());
    expect(dateInputValue(new Date(2026, 0, 5, 23, 59).getTime())).toBe('2026-01-05');
  });

  it.each(['', '2026-02-31', '2026-13-01', '05/01/2026', '2026-1-5'])(
    'ignores a date input that is not a real day: %j',
    (value) => {
      expect(startOfDay(value)).toBeNull();
      expect(endOfDay(value)).toBeNull();
    },
  );

  it('turns the form into filters, trimming text and dropping "any"', () => {
    const filters = filtersFromForm(
      {
        actor: `  ${BEN_ID} `,
        action: 'access.denied',
        resource: ' P-7K2Q9 ',
        outcome: '',
        from: '2026-01-01',
        to: '2026-01-05',
      },
      NO_FILTERS,
    );

    expect(filters).toEqual({
      actor: BEN_ID,
      actorName: null,
      action: 'access.denied',
      resource: 'P-7K2Q9',
      outcome: null,
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 0, 5, 23, 59, 59, 999).toISOString(),
    });
    expect(filtersFromForm(EMPTY_FORM, filters)).toEqual(NO_FILTERS);
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it("keeps an anomaly's exact range, and the actor's name, while the form still shows them", () => {
    const from = new Date(2026, 0, 5, 22, 10).toISOString();
    const to = new Date(2026, 0, 5, 22, 58, 30).toISOString();
    const previous = { ...NO_FILTERS, actor: BEN_ID, actorName: 'Ben', from, to };
    const form = formFromFilters(previous);
    expect(form).toEqual({ ...EMPTY_FORM, actor: BEN_ID, from: '2026-01-05', to: '2026-01-05' });

    expect(filtersFromForm({ ...form, outcome: 'denied' }, previous)).toEqual({
      ...previous,
      outcome: 'denied',
    });
    expect(filtersFromForm({ ...form, actor: CHI_ID, to: '2026-01-06' }, previous)).toEqual({
      ...previous,
      actor: CHI_ID,
      actorName: null,
      to: new Date(2026, 0, 6, 23, 59, 59, 999).toISOString(),
    });
  });

  it('builds the query and its URL parameters from what is set only', () => {
    const query = toQuery({ ...NO_FILTERS, actor: BEN_ID, outcome: 'failure' }, { before: 71 });
    expect(query).toEqual({ actor: BEN_ID, outcome: 'failure', before: 71 });
    expect(toParams(query).toString()).toBe(`actor=${BEN_ID}&outcome=failure&before=71`);
    expect(toParams(toQuery(NO_FILTERS)).toString()).toBe('');
  });

  it('names the export after the local date', () => {
    expect(exportFileName(new Date(2026, 0, 5, 0, 30).getTime())).toBe(
      'harbour-access-log-2026-01-05.csv',
    );
  });
});
