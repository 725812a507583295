import { HttpParams } from '@angular/common/http';
import type { AccessEventQuery, AuditAction, AuditOutcome } from '@harbour/domain';
import { AUDIT_ACTIONS } from '@harbour/domain';

/**
 * The filters applied to the events list (and to the export). `from` and `to` are ISO
 * timestamps: whole days from the date inputs, or an exact range from an anomaly. `to` is read
 * as inclusive.
 */
export interface AuditFilters {
  readonly actor: string | null;
  /** Display only, never sent: the name that goes with `actor`, when the console knows it. */
  readonly actorName: string | null;
  readonly action: AuditAction | null;
  readonly resource: string | null;
  readonly outcome: AuditOutcome | null;
  readonly from: string | null;
  readonly to: string | null;
}

export const NO_FILTERS: AuditFilters = {
  actor: null,
  actorName: null,
  action: null,
  resource: null,
  outcome: null,
  from: null,
  to: null,
};

export function hasFilters(filters: AuditFilters): boolean {
  return (
    filters.actor !== null ||
    filters.action !== null ||
    filters.resource !== null ||
    filters.outcome !== null ||
    filters.from !== null ||
    filters.to !== null
  );
}

/** The query of `GET /api/audit/events` (and, without `before`/`limit`, of the export). */
export function toQuery(
  filters: AuditFilters,
  page: Pick<AccessEventQuery, 'before' | 'limit'> = {},
): AccessEventQuery {
  return {
    ...(filters.actor === null ? {} : { actor: filters.actor }),
    ...(filters.action === null ? {} : { action: filters.action }),
    ...(filters.resource === null ? {} : { resource: filters.resource }),
    ...(filters.outcome === null ? {} : { outcome: filters.outcome }),
    ...(filters.from === null ? {} : { from: filters.from }),
    ...(filters.to === null ? {} : { to: filters.to }),
    ...page,
  };
}

/** A query as URL parameters, leaving out what is not set. */
export function toParams(query: AccessEventQuery): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query) as [string, string | number | undefined][]) {
    if (value !== undefined) params = params.set(key, String(value));
  }
  return params;
}

/** The values of the filters form: plain strings, `''` for "any". */
export interface FilterFormValue {
  readonly actor: string;
  readonly action: AuditAction | '';
  readonly resource: string;
  readonly outcome: AuditOutcome | '';
  /** `YYYY-MM-DD` from `<input type="date">`, in the auditor's time zone. */
  readonly from: string;
  readonly to: string;
}

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

function localDate(value: string): { year: number; month: number; day: number } | null {
  const match = DATE_INPUT.exec(value);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  // Rejects 2026-02-31 and the like, which `Date` would quietly roll over.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
    return null;
  }
  return { year, month, day };
}

/** The first millisecond of a `YYYY-MM-DD` day, in this device's time zone, as ISO. */
export function startOfDay(value: string): string | null {
  const date = localDate(value);
  return date === null ? null : new Date(date.year, date.month - 1, date.day).toISOString();
}

/** The last millisecond of a `YYYY-MM-DD` day, in this device's time zone, as ISO. */
export function endOfDay(value: string): string | null {
  const date = localDate(value);
  return date === null
    ? null
    : new Date(date.year, date.month - 1, date.day, 23, 59, 59, 999).toISOString();
}

/** `YYYY-MM-DD` of a time in this device's time zone (for date inputs and file names). */
export function dateInputValue(time: number | string | null): string {
  if (time === null) return '';
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function text(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/**
 * The filters a form describes. `actorName` is the name known for that actor id (kept from the
 * previous filters when the id has not changed).
 */
export function filtersFromForm(value: FilterFormValue, previous: AuditFilters): AuditFilters {
  const actor = text(value.actor);
  const from = startOfDay(value.from);
  const to = endOfDay(value.to);
  // A range from an anomaly is exact; keep it while the form still shows the same days.
  const sameFrom = previous.from !== null && dateInputValue(previous.from) === value.from;
  const sameTo = previous.to !== null && dateInputValue(previous.to) === value.to;
  return {
    actor,
    actorName: actor !== null && actor === previous.actor ? previous.actorName : null,
    action: value.action !== '' && isAction(value.action) ? value.action : null,
    resource: text(value.resource),
    outcome: value.outcome === '' ? null : value.outcome,
    from: sameFrom ? previous.from : from,
    to: sameTo ? previous.to : to,
  };
}

/** The form values that show `filters`. */
export function formFromFilters(filters: AuditFilters): FilterFormValue {
  return {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    resource: filters.resource ?? '',
    outcome: filters.outcome ?? '',
    from: dateInputValue(filters.from),
    to: dateInputValue(filters.to),
  };
}

/** `harbour-access-log-<YYYY-MM-DD>.csv`, dated in this device's time zone. */
export function exportFileName(now: number): string {
  return `harbour-access-log-${dateInputValue(now)}.csv`;
}
