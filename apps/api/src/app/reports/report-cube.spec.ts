import { EXTERNAL_TIER, internalTier } from '@harbour/domain';
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
const languages = { dimension: { values: ['thai', 'khmer'] }, rows };
const withoutLanguage = rows.map((r) => ({ keys: r.keys.slice(0, 2), count: r.count }));

describe('ReportCube', () => {
  it('publishes every filter slice consistently with the unfiltered report', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier(), [languages]);
    const byLanguage = all.filtered(languages, internalTier());
    const thai = byLanguage.slice('thai');
    const khmer = byLanguage.slice('khmer');
    expect(all.table(0, 1).cells).toEqual([
      [22, 18],
      [30, 32],
    ]);
    // The 2 Khmer speakers' cell is hidden, and so is the Thai cell it would be subtracted from.
    expect(khmer.table(0, 1).cells[0]![0]).toBeNull();
    expect(thai.table(0, 1).cells[0]![0]).toBeNull();
    expect(all.table(0, 1).total).toBe(102);
    // A filtered table is no margin; a slice needs a filter.
    expect(() => byLanguage.filtered(languages, internalTier())).toThrow(RangeError);
    expect(() => all.slice('thai')).toThrow(RangeError);
    expect(() => byLanguage.slice('tagalog')).toThrow(RangeError);
  });

  it('derives the external tier from the internal one, slices consistent with its margin', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier(), [languages]);
    const byLanguage = all.filtered(languages, internalTier());
    const external = all.coarsen(EXTERNAL_TIER, { filters: [byLanguage] });
    const externalByLanguage = byLanguage.coarsen(EXTERNAL_TIER, { margin: external });
    const published = (t: ReturnType<ReportCube['table']>) => [
      ...t.cells.flat(),
      ...t.rowTotals,
      ...t.columnTotals,
      t.total,
    ];
    const internalNumbers = published(all.table(0, 1));
    published(external.table(0, 1)).forEach((v, i) => {
      if (v === null) return;
      expect(internalNumbers[i]).not.toBeNull();
      expect(v).toBe(Math.floor(internalNumbers[i]! / 5 + 0.5) * 5);
      expect(v).toBeGreaterThanOrEqual(10);
    });
    for (const value of ['thai', 'khmer']) {
      const slice = externalByLanguage.slice(value).table(0, 1);
      for (const v of published(slice)) expect(v === null || v === 0 || v >= 10).toBe(true);
    }
    expect(() => byLanguage.coarsen(EXTERNAL_TIER, {})).toThrow(RangeError);
  });

  it('narrows to one value of its own dimension without changing any number', () => {
    const all = ReportCube.protect(dimensions, withoutLanguage, internalTier());
    const health = all.restrictedTo(0, 1).table(0, 1);
    expect(health.rows).toEqual(['health']);
    expect(health.cells).toEqual([all.table(0, 1).cells[1]]);
    expect(health.total).toBe(all.table(0, 1).rowTotals[1]);
    expect(health.columnTotals).toEqual(all.table(0, 1).cells[1]);
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
