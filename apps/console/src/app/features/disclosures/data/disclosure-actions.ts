import type { DisclosureRequestView, Permission, Role } from '@harbour/domain';

/** The two roles whose approvals a disclosure needs, one each. */
export const APPROVING_ROLES = ['coordinator', 'admin'] as const;
export type ApprovingRole = (typeof APPROVING_ROLES)[number];

/** Who is looking at a request. */
export interface DisclosureViewer {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
}

/** What the detail page offers this person now. The API checks every one of these again. */
export interface DisclosureActions {
  readonly review: boolean;
  readonly approve: boolean;
  readonly refuse: boolean;
  readonly produce: boolean;
  readonly download: boolean;
  readonly close: boolean;
  /** Approvals counted so far (of two). */
  readonly approvals: number;
  /** The roles whose approval is still missing, while the request is under review. */
  readonly missing: readonly ApprovingRole[];
  /** Why this person cannot approve, when they otherwise could. */
  readonly approveBlocked: 'recorder' | 'already_approved' | 'role_counted' | null;
}

/**
 * The steps of the request's life (recorded → under review → approved | refused → disclosed →
 * closed) that `viewer` may take. Approving needs `disclosure:approve`, a request under review,
 * someone other than its recorder, who has not approved yet, in a role not yet counted. Producing
 * the file needs an approved request (two approvals) and `disclosure:read`.
 */
export function disclosureActions(
  view: DisclosureRequestView,
  viewer: DisclosureViewer,
): DisclosureActions {
  const may = (permission: Permission) => viewer.permissions.has(permission);
  const counted = new Set(view.approvals.map((approval) => approval.asRole));
  const missing = APPROVING_ROLES.filter((role) => !counted.has(role));
  const underReview = view.status === 'under_review';
  let approveBlocked: DisclosureActions['approveBlocked'] = null;
  if (underReview && may('disclosure:approve')) {
    if (view.recordedBy === viewer.id) approveBlocked = 'recorder';
    else if (view.approvals.some((approval) => approval.approverId === viewer.id)) {
      approveBlocked = 'already_approved';
    } else if (!missing.some((role) => viewer.roles.includes(role))) {
      approveBlocked = 'role_counted';
    }
  }
  return {
    review: view.status === 'recorded' && may('disclosure:record'),
    approve: underReview && may('disclosure:approve') && approveBlocked === null,
    refuse: (view.status === 'recorded' || underReview) && may('disclosure:approve'),
    produce: view.status === 'approved' && may('disclosure:read'),
    download: view.status === 'disclosed' && may('disclosure:read'),
    close: (view.status === 'refused' || view.status === 'disclosed') && may('disclosure:record'),
    approvals: view.approvals.length,
    missing: underReview || view.status === 'recorded' ? missing : [],
    approveBlocked,
  };
}
