import type { NonNullableFormBuilder } from '@angular/forms';
import type { ConsentMethod, ConsentScope, ReferralConsentInput } from '@harbour/domain';
import type { ConsentForm } from './consent-fields';

/** An empty consent form: not given, verbal, sharing needs and circumstances only. */
export function consentForm(fb: NonNullableFormBuilder): ConsentForm {
  return fb.group({
    given: fb.control<boolean>(false),
    method: fb.control<ConsentMethod>('verbal'),
    scope: fb.control<ConsentScope[]>(['needs', 'circumstances']),
  });
}

/**
 * Marks what the API would refuse about a given consent (the browser knows it: at least one
 * thing to share, as `ReferralConsentDto`'s `ArrayMinSize(1)`); true when it may be sent.
 */
export function checkConsent(form: ConsentForm): boolean {
  const { given, scope } = form.getRawValue();
  if (!given || scope.length > 0) return true;
  form.controls.scope.setErrors({ arrayMinSize: true });
  form.controls.scope.markAsTouched();
  return false;
}

/** The consent the form records, or undefined when it was not given. */
export function consentInput(form: ConsentForm): ReferralConsentInput | undefined {
  const value = form.getRawValue();
  return value.given ? { method: value.method, scope: value.scope } : undefined;
}
