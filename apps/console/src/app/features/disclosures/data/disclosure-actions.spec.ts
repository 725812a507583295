import type { DisclosureRequestView, DisclosureStatus, Role } from '@harbour/domain';
import { permissionsFor } from '@harbour/domain';
import { disclosureActions, type DisclosureViewer } from './disclosure-actions';

const RECORDER = 'u-recorder';

function request(overrides: Partial<DisclosureRequestView> = {}): DisclosureRequestView {
  return {
    id: 'd-1',
    version: 1,
    status: 'recorded',
    authority: 'police',
    requester: 'Sgt Lee',
    legalInstrument: 'Warrant 12',
    legalAdvice: null,
    personCodes: ['HB-7Q2M-9XZT'],
    fields: ['givenName'],
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    recordedBy: RECORDER,
    recordedAt: '2026-07-01T09:00:00.000Z',
    approvals: [],
    refusalReason: null,
    disclosedAt: null,
    closedAt: null,
    ...overrides,
  };
}

function viewer(id: string, roles: readonly Role[]): DisclosureViewer {
  return { id, roles, permissions: permissionsFor(roles) };
}

const coordinatorApproval = {
  approverId: 'u-coordinator',
  asRole: 'coordinator' as const,
  approvedAt: '2026-07-02T09:00:00.000Z',
};
const adminApproval = {
  approverId: 'u-admin',
  asRole: 'admin' as const,
  approvedAt: '2026-07-02T10:00:00.000Z',
};

type Offered = 'review' | 'approve' | 'refuse' | 'produce' | 'download' | 'close';
function offered(view: DisclosureRequestView, who: DisclosureViewer): Offered[] {
  const actions = disclosureActions(view, who);
  return (['review', 'approve', 'refuse', 'produce', 'download', 'close'] as const).filter(
    (step) => actions[step],
  );
}

describe('disclosureActions', () => {
  const recorder = viewer(RECORDER, ['coordinator']);
  const coordinator = viewer('u-coordinator', ['coordinator']);
  const admin = viewer('u-admin', ['admin']);
  const other = viewer('u-other', ['coordinator']);
  const caseworker = viewer('u-caseworker', ['caseworker']);

  it.each<[DisclosureStatus, Offered[], Offered[]]>([
    ['recorded', ['review', 'refuse'], ['refuse']],
    ['under_review', ['approve', 'refuse'], ['approve', 'refuse']],
    ['approved', ['produce'], []],
    ['refused', ['close'], []],
    ['disclosed', ['download', 'close'], []],
    ['closed', [], []],
  ])('in %s offers a coordinator %j and an admin %j', (status, forCoordinator, forAdmin) => {
    const view = request({ status });
    expect(offered(view, coordinator)).toEqual(forCoordinator);
    expect(offered(view, admin)).toEqual(forAdmin);
    expect(offered(view, caseworker)).toEqual([]);
  });

  it('never offers the recorder an approval, and says why', () => {
    const view = request({ status: 'under_review' });
    expect(offered(view, recorder)).toEqual(['refuse']);
    expect(disclosureActions(view, recorder).approveBlocked).toBe('recorder');
  });

  it('after one coordinator approval: needs an admin; the same person and another coordinator cannot approve', () => {
    const view = request({ status: 'under_review', approvals: [coordinatorApproval] });
    const asCoordinator = disclosureActions(view, coordinator);
    expect(asCoordinator.approvals).toBe(1);
    expect(asCoordinator.missing).toEqual(['admin']);
    expect(asCoordinator.approve).toBe(false);
    expect(asCoordinator.approveBlocked).toBe('already_approved');
    expect(asCoordinator.produce).toBe(false);
    expect(disclosureActions(view, other).approveBlocked).toBe('role_counted');
    expect(disclosureActions(view, admin).approve).toBe(true);
  });

  it('after one admin approval: needs a coordinator', () => {
    const view = request({ status: 'under_review', approvals: [adminApproval] });
    expect(disclosureActions(view, other).missing).toEqual(['coordinator']);
    expect(disclosureActions(view, other).approve).toBe(true);
    expect(disclosureActions(view, viewer('u-admin-2', ['admin'])).approve).toBe(false);
  });

  it('offers the file only once both approvals are in (status approved), and only to coordinators', () => {
    const view = request({ status: 'approved', approvals: [coordinatorApproval, adminApproval] });
    expect(disclosureActions(view, coordinator).produce).toBe(true);
    expect(disclosureActions(view, admin).produce).toBe(false);
    expect(disclosureActions(view, admin).download).toBe(false);
  });
});
