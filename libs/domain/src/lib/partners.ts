import type { LanguageGroup, PartnerServiceType } from './cases';

/** The organisation's directory of partner services (docs/design.md §3). Admins write; staff read. */
export interface PartnerInput {
  readonly name: string;
  readonly serviceType: PartnerServiceType;
  readonly languages?: readonly LanguageGroup[];
  readonly sexWorkerFriendly?: boolean;
  readonly noIdRequired?: boolean;
  readonly interpreters?: boolean;
  readonly immigrationSafe?: boolean;
  readonly free?: boolean;
  /** How to reach the service (a business phone, address or web page). */
  readonly contactDetails?: string;
}

export interface UpdatePartnerRequest extends Partial<PartnerInput> {
  readonly version: number;
  readonly active?: boolean;
}

export interface PartnerView {
  readonly id: string;
  readonly name: string;
  readonly serviceType: PartnerServiceType;
  readonly languages: readonly LanguageGroup[];
  readonly sexWorkerFriendly: boolean;
  readonly noIdRequired: boolean;
  readonly interpreters: boolean;
  readonly immigrationSafe: boolean;
  readonly free: boolean;
  readonly contactDetails: string | null;
  readonly active: boolean;
  readonly version: number;
}

export interface PartnerQuery {
  readonly serviceType?: PartnerServiceType;
  readonly language?: LanguageGroup;
  readonly sexWorkerFriendly?: boolean;
  readonly noIdRequired?: boolean;
  readonly interpreters?: boolean;
  readonly immigrationSafe?: boolean;
  readonly free?: boolean;
  readonly includeInactive?: boolean;
}
