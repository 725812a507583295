import type { IdentityField } from './persons';
import type { ReportMeta, ReportTable } from './reports';

/**
 * Disclosure requests (docs/design.md §9): a request from outside — police, immigration, a court —
 * for data about people, and what the organisation did about it. A coordinator records it; it
 * moves recorded → under_review → approved | refused → disclosed → closed (a refused request is
 * closed from refused). Approval needs two distinct people, a coordinator and an admin, neither
 * of them the person who recorded it, each with a fresh step-up. Only the selected fields of the
 * selected people, within the period, go out: as a ZIP archive encrypted with AES-256 whose
 * passphrase is shown once, to the person who produces it, and never stored.
 */

export const DISCLOSURE_AUTHORITIES = ['police', 'immigration', 'court', 'other'] as const;
export type DisclosureAuthority = (typeof DISCLOSURE_AUTHORITIES)[number];

export const DISCLOSURE_STATUSES = [
  'recorded',
  'under_review',
  'approved',
  'refused',
  'disclosed',
  'closed',
] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

/**
 * What may be asked for, per person. Identity fields are named as everywhere else; the record
 * classes go out within the request's period (by the day they happened).
 */
export const DISCLOSURE_RECORD_FIELDS = [
  'categories',
  'contacts',
  'contactNotes',
  'needs',
  'referrals',
  'consents',
] as const;
export type DisclosureRecordField = (typeof DISCLOSURE_RECORD_FIELDS)[number];
export type DisclosureField = IdentityField | DisclosureRecordField;

/** `POST /api/disclosures` (coordinators). Free text is sealed under the organisation's key. */
export interface CreateDisclosureRequest {
  readonly authority: DisclosureAuthority;
  /** Who asks: officer, unit, station or court (free text, 1–500 characters). */
  readonly requester: string;
  /** The legal instrument relied on: warrant, production order, court order … (1–500). */
  readonly legalInstrument: string;
  /** The organisation's legal advice so far (optional, up to 4,000 characters). */
  readonly legalAdvice?: string;
  /** The people asked about, by pseudonymous code (1–100, each a person of the organisation). */
  readonly personCodes: readonly string[];
  /** The fields asked for (at least one). */
  readonly fields: readonly DisclosureField[];
  /** The period asked about, YYYY-MM-DD, inclusive; from ≤ to. */
  readonly periodFrom: string;
  readonly periodTo: string;
}

export interface DisclosureApprovalView {
  readonly approverId: string;
  /** The role the approval counts as: one coordinator and one admin are needed. */
  readonly asRole: 'coordinator' | 'admin';
  readonly approvedAt: string;
}

/** A disclosure request as the API returns it (the sealed text opened for staff who may see it). */
export interface DisclosureRequestView {
  readonly id: string;
  readonly version: number;
  readonly status: DisclosureStatus;
  readonly authority: DisclosureAuthority;
  readonly requester: string;
  readonly legalInstrument: string;
  readonly legalAdvice: string | null;
  readonly personCodes: readonly string[];
  readonly fields: readonly DisclosureField[];
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly approvals: readonly DisclosureApprovalView[];
  /** Why it was refused (set with status `refused`). */
  readonly refusalReason: string | null;
  readonly disclosedAt: string | null;
  readonly closedAt: string | null;
}

/** `POST /api/disclosures/:id/review|approve|close`: the version read, as every change needs. */
export interface DisclosureStepRequest {
  readonly version: number;
}

/** `POST /api/disclosures/:id/refuse`. */
export interface RefuseDisclosureRequest {
  readonly version: number;
  /** Why (10–2,000 characters). */
  readonly reason: string;
}

/**
 * `POST /api/disclosures/:id/export` (approved requests, step-up): produces the encrypted file
 * once and moves the request to `disclosed`. The passphrase is in this answer only; the file is
 * fetched with `GET /api/disclosures/:id/file` (a ZIP encrypted with AES-256).
 */
export interface DisclosureExportResponse {
  readonly passphrase: string;
  readonly fileName: string;
  readonly sizeBytes: number;
}

/** What the person page shows: that a disclosure about this person happened, and when. */
export interface PersonDisclosureView {
  readonly requestId: string;
  readonly authority: DisclosureAuthority;
  readonly status: DisclosureStatus;
  readonly disclosedAt: string | null;
}

/** How a request counts in the reports: disclosed, refused, or neither (still recorded). */
export const DISCLOSURE_OUTCOMES = ['recorded', 'refused', 'disclosed'] as const;
export type DisclosureOutcome = (typeof DISCLOSURE_OUTCOMES)[number];

/**
 * `GET /api/reports/disclosures`: how often the organisation was asked, by whom, and how often it
 * said no — requests counted in the month they were recorded, by outcome when their quarter was
 * published, protected like every count report (a null is not published).
 */
export interface DisclosuresReport {
  readonly meta: ReportMeta;
  /** Requests, authority × outcome. */
  readonly byOutcome: ReportTable;
  /** The same requests, outcome × month. */
  readonly byMonth: ReportTable;
  /** The same requests, outcome × quarter. */
  readonly byQuarter: ReportTable;
}
