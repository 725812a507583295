import type { PartnerView } from '@harbour/domain';
import { partnerChanges } from './partner-edit-dialog';

const PARTNER: PartnerView = {
  id: 'pa-1',
  name: 'Riverside Clinic',
  serviceType: 'sexual_health',
  languages: ['thai', 'vietnamese'],
  sexWorkerFriendly: true,
  noIdRequired: false,
  interpreters: false,
  immigrationSafe: false,
  free: true,
  contactDetails: null,
  active: true,
  version: 2,
};

const same = {
  name: 'Riverside Clinic',
  serviceType: 'sexual_health' as const,
  languages: ['vietnamese', 'thai'] as const,
  safety: ['sexWorkerFriendly', 'free'] as const,
  contactDetails: '',
};

describe('partnerChanges', () => {
  it('finds nothing to send when nothing changed (language order does not count)', () => {
    expect(partnerChanges(PARTNER, { ...same })).toBeNull();
  });

  it('sends only what changed', () => {
    expect(
      partnerChanges(PARTNER, {
        ...same,
        name: ' Riverside Sexual Health Clinic ',
        safety: ['sexWorkerFriendly', 'immigrationSafe'],
        contactDetails: 'Ground floor',
      }),
    ).toEqual({
      name: 'Riverside Sexual Health Clinic',
      immigrationSafe: true,
      free: false,
      contactDetails: 'Ground floor',
    });
  });
});
