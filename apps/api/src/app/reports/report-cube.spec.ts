import { internalTier, type ReportMeta } from '@harbour/domain';
import { reportCsv } from './report-csv';
import { ReportCube, sumOf } from './report-cube';

const rows = [
  { keys: ['legal', '2026-01', 'thai'], count: 20 },
  { keys: ['legal', '2026-01', 'khmer'], count: 2 },
  { keys: ['legal', '2026-02', 'thai'], count: 18 },
  { keys: ['health', '2026-01', 'thai'], count: 30 },
  { keys: ['health', '2026-02', 'thai'], count: 25 },
  { keys: ['health', '2026-02', 'khmer'], count: 7 },
];
const dimensions = [{ values: ['legal', 'health'] }, { values: ['2026-01', '2026-02'] }];
const languages = { values: ['thai', 'khmer'] };
const withoutLanguage = rows.map((r) => ({ keys: r.keys.slice(0, 2), count: r.count }));

describe('ReportCube', () => {
  it('publishes every filter slice consistently with the unfiltered report', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier());
    const thai = ReportCube.protect(dimensions, rows, internalTier(), {
      dimension: languages,
      value: 'thai',
    });
    const khmer = ReportCube.protect(dimensions, rows, internalTier(), {
      dimension: languages,
      value: 'khmer',
    });
    expect(all.table(0, 1).cells).toEqual([
      [22, 18],
      [30, 32],
    ]);
    // The 2 Khmer speakers' cell is hidden, and so is the Thai cell it would be subtracted from.
    expect(khmer.table(0, 1).cells[0]![0]).toBeNull();
    expect(thai.table(0, 1).cells[0]![0]).toBeNull();
    expect(all.table(0, 1).total).toBe(102);
  });

  it('takes the unfiltered cube it already has as the margin, with the same result', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier());
    const filter = { dimension: languages, value: 'khmer' };
    const own = ReportCube.protect(dimensions, rows, internalTier(), filter);
    const given = ReportCube.protect(dimensions, rows, internalTier(), { ...filter, margin: all });
    expect(given.table(0, 1)).toEqual(own.table(0, 1));
    expect(given.table(0, 1).cells[0]![0]).toBeNull();
    // A filtered cube is no margin; nor is a table that does not hold these totals.
    expect(() =>
      ReportCube.protect(dimensions, rows, internalTier(), { ...filter, margin: own }),
    ).toThrow(RangeError);
    const other = ReportCube.protect(
      dimensions,
      withoutLanguage.map((r) => ({ ...r, count: r.count + 1 })),
      internalTier(),
    );
    expect(() =>
      ReportCube.protect(dimensions, rows, internalTier(), { ...filter, margin: other }),
    ).toThrow(RangeError);
  });

  it('narrows to one value of its own dimension without changing any number', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier());
    const health = all.restrictedTo(0, 1).table(0, 1);
    expect(health.rows).toEqual(['health']);
    expect(health.cells).toEqual([all.table(0, 1).cells[1]]);
    expect(health.total).toBe(all.table(0, 1).rowTotals[1]);
  });

  it('refuses keys outside its dimensions', () => {
    expect(() =>
      ReportCube.protect(dimensions, [{ keys: ['legal', '2025-12'], count: 3 }], internalTier()),
    ).toThrow(RangeError);
  });

  it('sums published counts, and suppresses a sum of anything suppressed', () => {
    expect(sumOf([1, 2, 0])).toBe(3);
    expect(sumOf([5, null])).toBeNull();
  });
});

describe('reportCsv', () => {
  const meta: ReportMeta = {
    report: 'needs',
    from: '2026-01',
    to: '2026-02',
    months: ['2026-01', '2026-02'],
    tier: 'internal',
    k: 5,
    roundedTo: null,
    filter: null,
    partners: { p1: '=HYPERLINK("x")' },
  };

  it('writes published numbers, suppressed ones as <k, and guards formulas', () => {
    const csv = reportCsv(meta, {
      t: {
        rows: ['p1'],
        columns: ['2026-01'],
        cells: [[null]],
        rowTotals: [null],
        columnTotals: [12],
        total: 12,
      },
    });
    const lines = csv.split('\r\n');
    expect(lines).toContain(`t,"'=HYPERLINK(""x"")",2026-01,<5`);
    expect(lines).toContain('t,total,total,12');
    expect(lines.slice(0, 2)).toEqual(['report,needs', 'from,2026-01']);
  });
});
