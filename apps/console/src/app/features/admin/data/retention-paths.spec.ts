import { unmappedPaths } from '../../../../testing/api-paths';
import { refusedPolicyClass, splitRetentionRefusal } from './retention-paths';

const SENT = ['closed_referrals', 'contacts'];

describe('retention settings: every API field has a row', () => {
  it('maps each path of UpdateRetentionSettingsDto to the row of the policy sent', () => {
    expect(
      unmappedPaths(
        ['UpdateRetentionSettingsDto'],
        (path) => refusedPolicyClass(path, SENT) !== null,
        { version: 'the settings’ own version, as the page loaded them' },
      ),
    ).toEqual([]);
    expect(refusedPolicyClass('policies.1.keep', SENT)).toBe('contacts');
    expect(refusedPolicyClass('policies[0].class', SENT)).toBe('closed_referrals');
    expect(refusedPolicyClass('policies.5.keep', SENT)).toBeNull();
  });

  it('splits a refusal into rows and what the banner names', () => {
    const { rows, unmatched } = splitRetentionRefusal(
      [
        { path: 'policies.1.keep', reason: 'max', limits: { min: 1, max: 120 } },
        { path: 'version', reason: 'min' },
      ],
      SENT,
    );
    expect(rows).toEqual({ contacts: { api: { reason: 'max', limits: { min: 1, max: 120 } } } });
    expect(unmatched).toEqual([{ path: 'version', reason: 'min' }]);
  });
});
