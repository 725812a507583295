import type { AgeBand, GenderIdentity, LanguageGroup, RegionOfOrigin } from './cases';
import type { PersonIdentityInput } from './persons';

/**
 * Canary people (docs/design.md §5): decoy records an admin plants. To caseworkers and coordinators
 * they are people like any other (same code format, same API shapes, an identity that can be
 * looked up and revealed, contacts); nobody has a reason to open one, so any lookup hit, page
 * view or reveal raises a `canary_access` flag for auditors at once. They are never counted in
 * reports. Only admins see which people are canaries.
 */
export const MAX_CANARIES = 50;
export const MAX_CANARY_CONTACTS = 5;

/** `POST /api/canaries` (admin, step-up). Everything is optional: Harbour makes up the rest. */
export interface PlantCanaryRequest {
  /** The decoy's synthetic identity, e.g. a name an insider might look for; generated if absent. */
  readonly identity?: PersonIdentityInput;
  readonly ageBand?: AgeBand;
  readonly regionOfOrigin?: RegionOfOrigin;
  readonly languageGroup?: LanguageGroup;
  readonly genderIdentity?: GenderIdentity;
  /** The staff member (caseworker or coordinator) its record and contacts appear logged by. */
  readonly caseworkerId?: string;
  /** Synthetic contacts in the last weeks (0–5, default 2). */
  readonly contacts?: number;
}

/** A canary as admins see it (never served to anyone else). */
export interface CanaryView {
  readonly id: string;
  readonly personId: string;
  readonly code: string;
  readonly plantedAt: string;
  readonly plantedBy: string | null;
  readonly caseworkerId: string | null;
  /** When an admin retired it (its identity erased; accesses still raise flags). */
  readonly retiredAt: string | null;
}
