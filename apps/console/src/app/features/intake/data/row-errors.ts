import type { FieldError } from '@harbour/domain';

/** Field errors of a post-raid intake, sorted to where the form shows them. */
export interface IntakeErrors {
  /** Errors of the event (`event.…` paths, and anything not tied to a row). */
  readonly event: readonly string[];
  /** Errors by row index (`people.3.identity.givenName` → row 3: `identity.givenName`). */
  readonly rows: ReadonlyMap<number, readonly string[]>;
}

const ROW_PATH = /^people\.(\d+)\.(.+)$/;

/** No refusals. */
export const NO_ERRORS: IntakeErrors = { event: [], rows: new Map() };

/** Where each refused field belongs; field names only, never a value. */
export function intakeErrors(fields: readonly FieldError[]): IntakeErrors {
  const event: string[] = [];
  const rows = new Map<number, string[]>();
  for (const field of fields) {
    const match = ROW_PATH.exec(field.path);
    if (match === null) {
      event.push(field.path.replace(/^event\./, ''));
      continue;
    }
    const index = Number(match[1]);
    rows.set(index, [...(rows.get(index) ?? []), match[2] ?? '']);
  }
  return { event, rows };
}
