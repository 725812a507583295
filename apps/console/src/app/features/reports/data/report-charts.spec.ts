import {
  needsReport,
  SAFE_HOUSE_ID,
  referralsReport,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import { medianBars, rowTotalBars } from './report-charts';

describe('report charts', () => {
  it('draws each row total, leaving out empty rows but keeping suppressed ones', () => {
    const report = needsReport();
    expect(rowTotalBars(report.byMonth, 'category', report.meta.partners)).toEqual([
      { id: 'legal', label: { kind: 'key', key: 'taxonomy.need.legal' }, value: 24 },
      { id: 'health', label: { kind: 'key', key: 'taxonomy.need.health' }, value: null },
    ]);
  });

  it('names partners from the report', () => {
    const report = referralsReport();
    const bars = rowTotalBars(report.byStatus, 'partner', report.meta.partners);
    expect(bars[0]).toEqual({
      id: SAFE_HOUSE_ID,
      label: { kind: 'text', text: 'Safe House' },
      value: 21,
    });
  });

  it('draws medians only for groups with published times', () => {
    const report = timeToOutcomeReport();
    expect(medianBars(report.byCategory, 'category', report.meta.partners)).toEqual([
      { id: 'legal', label: { kind: 'key', key: 'taxonomy.need.legal' }, value: 7.5 },
    ]);
  });
});
