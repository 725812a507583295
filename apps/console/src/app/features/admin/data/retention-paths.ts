import type { FieldError } from '@harbour/domain';
import type { ValidationErrors } from '@angular/forms';
import { normalisePath } from '../../../core/forms/field-errors';

/**
 * Where `UpdateRetentionSettingsDto`'s paths live on the retention page: `policies.<i>.keep`
 * (or `.class`) is the row of the `i`-th policy sent, i.e. `sent[i]`; anything else (the
 * version) has no row and is named in words in the banner.
 */
export function refusedPolicyClass(path: string, sent: readonly string[]): string | null {
  const match = /^policies\.(\d+)(?:\.(?:keep|class))?$/.exec(normalisePath(path));
  return match === null ? null : (sent[Number(match[1])] ?? null);
}

/** A refusal per row (as a control's errors, for `fieldError`), and the rest for the banner. */
export function splitRetentionRefusal(
  fields: readonly FieldError[],
  sent: readonly string[],
): { rows: Readonly<Record<string, ValidationErrors>>; unmatched: FieldError[] } {
  const rows: Record<string, ValidationErrors> = {};
  const unmatched: FieldError[] = [];
  for (const field of fields) {
    const cls = refusedPolicyClass(field.path, sent);
    if (cls === null || rows[cls] !== undefined) {
      if (cls === null) unmatched.push(field);
      continue;
    }
    rows[cls] = {
      api: { reason: field.reason, ...(field.limits ? { limits: field.limits } : {}) },
    };
  }
  return { rows, unmatched };
}
