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

/** The consent the form records, or undefined when it was not given. */
export function consentInput(form: ConsentForm): ReferralConsentInput | undefined {
  const value = form.getRawValue();
  return value.given ? { method: value.method, scope: value.scope } : undefined;
}
