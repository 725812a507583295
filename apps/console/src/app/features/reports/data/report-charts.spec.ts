import {
  contactsReport,
  needsReport,
  SAFE_HOUSE_ID,
  referralsReport,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import { circumstanceBars, medianBars, rowTotalBars } from './report-charts';

describe('report charts', () => {
  it('draws each row total, leaving out empty rows but keeping unpublished ones', () => {
    const report = needsReport();
    expect(rowTotalBars(report.byQuarter, 'category', report.meta.partners)).toEqual([
      { id: 'legal', label: { kind: 'key', key: 'taxonomy.need.legal' }, value: 45 },
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

  it('draws people reached per channel and per circumstance, unpublished ones included', () => {
    const report = contactsReport();
    expect(rowTotalBars(report.byChannel, 'channel', report.meta.partners)).toEqual([
      { id: 'in_person', label: { kind: 'key', key: 'taxonomy.channel.in_person' }, value: 39 },
      { id: 'phone', label: { kind: 'key', key: 'taxonomy.channel.phone' }, value: null },
    ]);
    expect(circumstanceBars(report.byCircumstance, report.meta.partners)).toEqual([
      {
        id: 'post_raid',
        label: { kind: 'key', key: 'taxonomy.circumstance.post_raid' },
        value: 12,
      },
      {
        id: 'violence',
        label: { kind: 'key', key: 'taxonomy.circumstance.violence' },
        value: null,
      },
    ]);
  });
});
