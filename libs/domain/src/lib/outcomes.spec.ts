import {
  isOutcomeRating,
  latestTrend,
  OUTCOME_DOMAINS,
  outcomeChange,
  type OutcomeRatings,
} from './outcomes';

const NONE: OutcomeRatings = {
  safety: null,
  legal_status: null,
  health_wellbeing: null,
  work_money: null,
  housing: null,
  social_support: null,
};

describe('outcome check-ins', () => {
  it('has the six areas of the Assessment of Survivor Outcomes style, in form order', () => {
    expect(OUTCOME_DOMAINS).toEqual([
      'safety',
      'legal_status',
      'health_wellbeing',
      'work_money',
      'housing',
      'social_support',
    ]);
  });

  it('says whether a rating went up, stayed or went down', () => {
    expect(outcomeChange(2, 4)).toBe('improved');
    expect(outcomeChange(3, 3)).toBe('same');
    expect(outcomeChange(5, 1)).toBe('worsened');
  });

  it('accepts whole ratings 1 to 5 only', () => {
    expect([1, 2, 3, 4, 5].every(isOutcomeRating)).toBe(true);
    for (const bad of [0, 6, 2.5, '3', null, Number.NaN]) expect(isOutcomeRating(bad)).toBe(false);
  });

  it('takes each area’s latest rating and the one before it, skipping check-ins that left it out', () => {
    const trend = latestTrend([
      { ratings: { ...NONE, safety: 4 } },
      { ratings: { ...NONE, housing: 2 } },
      { ratings: { ...NONE, safety: 2, housing: 3 } },
    ]);
    expect(trend.safety).toEqual({ latest: 4, previous: 2, change: 'improved' });
    expect(trend.housing).toEqual({ latest: 2, previous: 3, change: 'worsened' });
    expect(trend.work_money).toEqual({ latest: null, previous: null, change: null });
    expect(latestTrend([{ ratings: { ...NONE, legal_status: 3 } }]).legal_status).toEqual({
      latest: 3,
      previous: null,
      change: null,
    });
  });
});
