import { PARTNER_SAFETY_ATTRIBUTES } from '@harbour/domain';
import type { PathAliases } from '../../../core/forms/field-errors';

/**
 * Where `PartnerDto`'s and `UpdatePartnerDto`'s paths live in a partner form: each safety
 * attribute (`sexWorkerFriendly`, `noIdRequired` …) is one chip of the `safety` list; the
 * version is the partner's own (named in words if refused).
 */
export const PARTNER_PATHS: PathAliases = {
  ...Object.fromEntries(PARTNER_SAFETY_ATTRIBUTES.map((attribute) => [attribute, 'safety'])),
  version: null,
  active: null,
};
