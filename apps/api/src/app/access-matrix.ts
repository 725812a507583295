import type { Role } from '@harbour/domain';

/**
 * Who may call each route: the expected access matrix, declared once. The access-matrix test
 * checks every route the Nest router knows against it, for anonymous callers, each role and
 * another organisation, and fails when a route is missing here. Later features add their rows.
 *
 * - `public`: no session needed.
 * - `sign-in-step`: only a half-finished sign-in (password accepted, second factor pending).
 * - `signed-in`: any fully signed-in user, whatever the roles.
 * - a list of roles: fully signed-in users holding one of them (via their permissions).
 * - `metrics-token`: a machine holding the metrics token (`Authorization: Bearer`); no staff
 *   session of any role is enough (401), and the route is off (404) while no token is configured.
 */
export type RouteAccess =
  'public' | 'sign-in-step' | 'signed-in' | 'metrics-token' | readonly Role[];

/**
 * How a route treats another organisation's data: `not-found` for routes addressing a record by
 * id (another tenant's id answers 404, like a missing one); `own-only` for routes that list or
 * show the caller's organisation; `none` for routes with no tenant data.
 */
export type CrossOrganisation = 'not-found' | 'own-only' | 'none';

/**
 * How a route that returns a person's identity or notes (or takes an identity in) treats a
 * restricted person when the caller holds a case role but is neither one of the person's key
 * workers nor a coordinator: `refused` answers 403 `person_restricted` and returns nothing;
 * `code-only` (lookup) leaves the person out unless their code was typed, and then names the
 * code alone. Key workers and coordinators are served as usual. Routes without it return no
 * identity and no notes.
 */
export type RestrictedPersonAccess = 'refused' | 'code-only';

export interface RouteExpectation {
  readonly access: RouteAccess;
  readonly crossOrganisation: CrossOrganisation;
  readonly restrictedPerson?: RestrictedPersonAccess;
}

export const ACCESS_MATRIX: Readonly<Record<string, RouteExpectation>> = {
  'GET /health/live': { access: 'public', crossOrganisation: 'none' },
  'GET /health/ready': { access: 'public', crossOrganisation: 'none' },
  'GET /api/openapi.json': { access: 'public', crossOrganisation: 'none' },
  'GET /metrics': { access: 'metrics-token', crossOrganisation: 'none' },

  'POST /api/auth/login': { access: 'public', crossOrganisation: 'none' },
  'POST /api/auth/mfa/verify': { access: 'sign-in-step', crossOrganisation: 'none' },
  'POST /api/auth/mfa/enrol': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/auth/mfa/confirm': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/auth/step-up': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/auth/password': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/auth/logout': { access: 'signed-in', crossOrganisation: 'none' },
  'GET /api/auth/session': { access: 'signed-in', crossOrganisation: 'own-only' },
  'PUT /api/me/language': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/session/device-key': { access: 'signed-in', crossOrganisation: 'none' },
  'POST /api/session/forget-devices': { access: 'signed-in', crossOrganisation: 'none' },

  'GET /api/users': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/users': { access: ['admin'], crossOrganisation: 'none' },
  'PATCH /api/users/:id': { access: ['admin'], crossOrganisation: 'not-found' },
  'POST /api/users/:id/revoke-sessions': { access: ['admin'], crossOrganisation: 'not-found' },
  'POST /api/users/:id/reset-mfa': { access: ['admin'], crossOrganisation: 'not-found' },
  'POST /api/users/:id/reset-password': { access: ['admin'], crossOrganisation: 'not-found' },
  'GET /api/users/approvals': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/users/approvals/:id/approve': { access: ['admin'], crossOrganisation: 'not-found' },
  'POST /api/users/approvals/:id/cancel': { access: ['admin'], crossOrganisation: 'not-found' },

  'GET /api/organisation/settings': { access: ['admin'], crossOrganisation: 'own-only' },
  'PATCH /api/organisation/settings': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/organisation/lockdown': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/organisation/lockdown/lift': { access: ['admin'], crossOrganisation: 'own-only' },

  'GET /api/audit/events': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/export': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/verify': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/checkpoints': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/checkpoints/latest': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/proofs/inclusion': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/proofs/consistency': { access: ['auditor'], crossOrganisation: 'own-only' },
  'GET /api/audit/anomalies': { access: ['auditor'], crossOrganisation: 'own-only' },
  'POST /api/audit/anomalies/review': { access: ['auditor'], crossOrganisation: 'own-only' },

  'GET /api/canaries': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/canaries': { access: ['admin'], crossOrganisation: 'none' },
  'POST /api/canaries/:id/retire': { access: ['admin'], crossOrganisation: 'not-found' },

  'GET /api/keys': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/keys/rotations': { access: ['admin'], crossOrganisation: 'none' },
  'GET /api/jobs': { access: ['admin'], crossOrganisation: 'own-only' },
  'GET /api/jobs/:id': { access: ['admin'], crossOrganisation: 'not-found' },
  'GET /api/backups/status': { access: ['admin'], crossOrganisation: 'none' },
  'GET /api/retention': { access: ['admin'], crossOrganisation: 'own-only' },
  'PUT /api/retention': { access: ['admin'], crossOrganisation: 'own-only' },
  'POST /api/retention/dry-run': { access: ['admin'], crossOrganisation: 'own-only' },
  'GET /api/retention/runs': { access: ['admin'], crossOrganisation: 'own-only' },

  'POST /api/persons': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'POST /api/persons/lookup': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'own-only',
    restrictedPerson: 'code-only',
  },
  'GET /api/persons/:id': { access: ['caseworker', 'coordinator'], crossOrganisation: 'not-found' },
  'PATCH /api/persons/:id': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
    restrictedPerson: 'refused',
  },
  'POST /api/persons/:id/reveal': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
    restrictedPerson: 'refused',
  },
  'POST /api/persons/:id/erase': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'POST /api/persons/:id/merge': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'POST /api/persons/:id/subject-export': {
    access: ['coordinator'],
    crossOrganisation: 'not-found',
  },
  'GET /api/persons/:id/erasure-receipt': {
    access: ['coordinator'],
    crossOrganisation: 'not-found',
  },
  'GET /api/persons/:id/consents': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/consents': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/consents/:consentId/revoke': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'GET /api/persons/:id/check-ins': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/check-ins': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },

  'POST /api/disclosures': { access: ['coordinator'], crossOrganisation: 'none' },
  'GET /api/disclosures': { access: ['coordinator', 'admin'], crossOrganisation: 'own-only' },
  'GET /api/disclosures/:id': { access: ['coordinator', 'admin'], crossOrganisation: 'not-found' },
  'POST /api/disclosures/:id/review': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'POST /api/disclosures/:id/approve': {
    access: ['coordinator', 'admin'],
    crossOrganisation: 'not-found',
  },
  'POST /api/disclosures/:id/refuse': {
    access: ['coordinator', 'admin'],
    crossOrganisation: 'not-found',
  },
  'POST /api/disclosures/:id/export': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'GET /api/disclosures/:id/file': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'POST /api/disclosures/:id/close': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'GET /api/persons/:id/disclosures': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/follow-ups': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'GET /api/follow-ups': { access: ['caseworker', 'coordinator'], crossOrganisation: 'own-only' },
  'GET /api/follow-ups/assignees': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'own-only',
  },
  'PATCH /api/follow-ups/:id': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'GET /api/me/day': { access: ['caseworker', 'coordinator'], crossOrganisation: 'own-only' },
  'GET /api/me/day/counts': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/persons/:id/key-workers': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/key-workers': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/key-workers/remove': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/persons/:id/restriction': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'GET /api/key-workers/mine': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/key-workers/staff': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/key-workers/:id/people': { access: ['coordinator'], crossOrganisation: 'not-found' },
  'POST /api/key-workers/hand-over': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'none',
  },

  'POST /api/contacts': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'GET /api/contacts': { access: ['caseworker', 'coordinator'], crossOrganisation: 'own-only' },
  'GET /api/contacts/:id': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
    restrictedPerson: 'refused',
  },
  'POST /api/contacts/:id/amendments': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'POST /api/intake/bulk': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'GET /api/needs': { access: ['caseworker', 'coordinator'], crossOrganisation: 'own-only' },
  'POST /api/needs': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'PATCH /api/needs/:id': { access: ['caseworker', 'coordinator'], crossOrganisation: 'not-found' },

  'POST /api/referrals': { access: ['caseworker', 'coordinator'], crossOrganisation: 'none' },
  'POST /api/referrals/:id/transitions': {
    access: ['caseworker', 'coordinator'],
    crossOrganisation: 'not-found',
  },
  'GET /api/referrals': { access: ['caseworker', 'coordinator'], crossOrganisation: 'own-only' },

  'GET /api/reports/needs': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/referrals': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/funnel': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/time-to-outcome': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/contacts': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/needs/export': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/referrals/export': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/funnel/export': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/time-to-outcome/export': {
    access: ['coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/reports/contacts/export': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/disclosures': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/disclosures/export': {
    access: ['coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/reports/outcome-change': { access: ['coordinator'], crossOrganisation: 'own-only' },
  'GET /api/reports/outcome-change/export': {
    access: ['coordinator'],
    crossOrganisation: 'own-only',
  },
  'GET /api/partners': { access: 'signed-in', crossOrganisation: 'own-only' },
  'POST /api/partners': { access: ['admin'], crossOrganisation: 'none' },
  'PATCH /api/partners/:id': { access: ['admin'], crossOrganisation: 'not-found' },
};
