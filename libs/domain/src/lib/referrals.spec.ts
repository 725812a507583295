import {
  canTransitionReferral,
  consentGate,
  FINAL_REFERRAL_STATUSES,
  REFERRAL_STATUSES,
  REFERRAL_TRANSITIONS,
} from './referrals';

describe('referral state machine', () => {
  it('runs draft → consented → sent → accepted → completed', () => {
    const path = ['draft', 'consented', 'sent', 'accepted', 'completed'] as const;
    for (let i = 0; i + 1 < path.length; i++)
      expect(canTransitionReferral(path[i]!, path[i + 1]!)).toBe(true);
  });

  it('refuses skipping steps, going back, and leaving a final status', () => {
    expect(canTransitionReferral('draft', 'sent')).toBe(false);
    expect(canTransitionReferral('consented', 'completed')).toBe(false);
    expect(canTransitionReferral('accepted', 'sent')).toBe(false);
    expect(canTransitionReferral('draft', 'declined_by_partner')).toBe(false);
    for (const final of FINAL_REFERRAL_STATUSES) {
      expect(REFERRAL_TRANSITIONS[final]).toEqual([]);
      for (const to of REFERRAL_STATUSES) expect(canTransitionReferral(final, to)).toBe(false);
    }
  });

  it('lets the client decline and the service withdraw from any open status', () => {
    for (const from of REFERRAL_STATUSES) {
      if (FINAL_REFERRAL_STATUSES.includes(from)) continue;
      expect(canTransitionReferral(from, 'declined_by_client')).toBe(true);
      expect(canTransitionReferral(from, 'withdrawn')).toBe(true);
    }
  });
});

describe('consent gate', () => {
  const base = {
    from: 'draft',
    to: 'consented',
    overrideReason: null,
    mayOverride: false,
  } as const;

  it('lets a referral with consent leave draft', () => {
    expect(consentGate({ ...base, hasConsent: true })).toEqual({ allowed: true, override: false });
  });

  it('refuses without consent, unless a coordinator gives a reason', () => {
    expect(consentGate({ ...base, hasConsent: false })).toEqual({
      allowed: false,
      reason: 'consent_required',
    });
    expect(consentGate({ ...base, hasConsent: false, overrideReason: '   ' })).toEqual({
      allowed: false,
      reason: 'consent_required',
    });
    expect(
      consentGate({ ...base, hasConsent: false, overrideReason: 'Client in hospital' }),
    ).toEqual({ allowed: false, reason: 'override_not_permitted' });
    expect(
      consentGate({
        ...base,
        hasConsent: false,
        overrideReason: 'Client in hospital',
        mayOverride: true,
      }),
    ).toEqual({ allowed: true, override: true });
  });

  it('never stands in the way of a refusal or a withdrawal, or after draft', () => {
    for (const to of ['declined_by_client', 'withdrawn'] as const)
      expect(consentGate({ ...base, to, hasConsent: false }).allowed).toBe(true);
    expect(consentGate({ ...base, from: 'sent', to: 'accepted', hasConsent: false }).allowed).toBe(
      true,
    );
  });
});
