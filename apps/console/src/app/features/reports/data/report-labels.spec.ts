import { dimensionLabel, filterValueLabel } from './report-labels';

const PARTNERS = { 'p-1': 'Safe House' };

describe('report labels', () => {
  it('names enum values with the taxonomy translations', () => {
    expect(dimensionLabel('category', 'legal', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.need.legal',
    });
    expect(dimensionLabel('needStatus', 'in_progress', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.needStatus.in_progress',
    });
    expect(dimensionLabel('referralStatus', 'declined_by_partner', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.referralStatus.declined_by_partner',
    });
    expect(dimensionLabel('stage', 'referred', PARTNERS)).toEqual({
      kind: 'key',
      key: 'reports.funnel.stages.referred',
    });
    expect(dimensionLabel('channel', 'outreach_visit', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.channel.outreach_visit',
    });
    expect(dimensionLabel('location', 'street', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.location.street',
    });
    expect(dimensionLabel('language', 'not_recorded', PARTNERS)).toEqual({
      kind: 'key',
      key: 'reports.notRecorded',
    });
    expect(dimensionLabel('circumstance', 'violence', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.circumstance.violence',
    });
    expect(dimensionLabel('contactKind', 'group', PARTNERS)).toEqual({
      kind: 'key',
      key: 'reports.contacts.kinds.group',
    });
  });

  it('names partners from the report, and months and quarters as such', () => {
    expect(dimensionLabel('partner', 'p-1', PARTNERS)).toEqual({
      kind: 'text',
      text: 'Safe House',
    });
    expect(dimensionLabel('partner', 'p-2', PARTNERS)).toEqual({ kind: 'text', text: 'p-2' });
    expect(dimensionLabel('month', '2026-01', PARTNERS)).toEqual({
      kind: 'month',
      month: '2026-01',
    });
    expect(dimensionLabel('quarter', '2026-Q3', PARTNERS)).toEqual({
      kind: 'quarter',
      quarter: '2026-Q3',
    });
  });

  it('shows a value it does not know as it is, never a missing key', () => {
    expect(dimensionLabel('category', 'toString', PARTNERS)).toEqual({
      kind: 'text',
      text: 'toString',
    });
  });

  it('names filter values, "not recorded" included', () => {
    expect(filterValueLabel('language', 'thai', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.language.thai',
    });
    expect(filterValueLabel('language', 'not_recorded', PARTNERS)).toEqual({
      kind: 'key',
      key: 'reports.notRecorded',
    });
    expect(filterValueLabel('channel', 'drop_in', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.channel.drop_in',
    });
    expect(filterValueLabel('region', 'unknown', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.region.unknown',
    });
    expect(filterValueLabel('circumstance', 'post_raid', PARTNERS)).toEqual({
      kind: 'key',
      key: 'taxonomy.circumstance.post_raid',
    });
    expect(filterValueLabel('partner', 'p-1', PARTNERS)).toEqual({
      kind: 'text',
      text: 'Safe House',
    });
  });
});
