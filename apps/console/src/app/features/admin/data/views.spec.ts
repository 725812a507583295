import type { OrganisationSettingsView } from '@harbour/domain';
import { isOrganisationSettingsView } from './views';

const SETTINGS: OrganisationSettingsView = {
  id: 'o-1',
  name: 'Safe Steps',
  lockdown: {
    active: false,
    since: null,
    liftApprovals: [],
    approvalsNeeded: 2,
    callerMayApprove: false,
  },
  reportK: 5,
  staleReferralDays: 14,
  version: 7,
};

describe('isOrganisationSettingsView', () => {
  it('accepts organisation settings', () => {
    expect(isOrganisationSettingsView(SETTINGS)).toBe(true);
  });

  it('rejects settings without a whole-number reportK', () => {
    const { reportK: _omitted, ...withoutK } = SETTINGS;
    expect(isOrganisationSettingsView(withoutK)).toBe(false);
    expect(isOrganisationSettingsView({ ...SETTINGS, reportK: 5.5 })).toBe(false);
    expect(isOrganisationSettingsView({ ...SETTINGS, reportK: '5' })).toBe(false);
    expect(isOrganisationSettingsView({ ...SETTINGS, reportK: null })).toBe(false);
  });

  it('rejects what is not settings', () => {
    expect(isOrganisationSettingsView(null)).toBe(false);
    expect(isOrganisationSettingsView({ ...SETTINGS, lockdown: null })).toBe(false);
  });
});
