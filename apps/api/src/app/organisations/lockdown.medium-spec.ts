import { listRoutes } from '../../infra/auth/route-inventory';
import {
  ADMIN_ALLOW_LIST,
  EVERYONE_ALLOW_LIST,
  useLockdownScenario,
} from '../../test/medium/lockdown-scenario';

/**
 * docs/security.md T25 and adversarial case 33, on demo-shaped data and three API instances sharing
 * one PostgreSQL: during a lockdown nobody gets an identity, a note, a lookup, a report or an
 * export; only admins sign in, to see the lockdown and approve lifting it; no staff change goes
 * through; every instance drops the organisation's keys and refuses to load them; lifting needs
 * two admins who held the role before the lockdown, each with step-up. Here the first two acts
 * and the allow-list; the attack on every route, the check of each promise the console makes
 * (`LOCKDOWN_PROMISES`) and the lift are in `lockdown-walk.medium-spec.ts`.
 */
describe('lockdown under attack', () => {
  const s = useLockdownScenario();

  it('before the lockdown: staff work, and instances B and C hold the organisation’s keys', () =>
    s.beforeTheLockdown());

  it('an admin starts it with step-up; the instance that served it drops the keys at once', () =>
    s.startTheLockdown());

  it('declares exactly the allow-list on the routes (every other route, present or future, is refused)', () => {
    const declared = listRoutes(s.a.app).filter((r) => r.lockdown !== undefined);
    expect(
      declared
        .filter((r) => r.lockdown === 'admins')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(ADMIN_ALLOW_LIST);
    expect(
      declared
        .filter((r) => r.lockdown === 'everyone')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(EVERYONE_ALLOW_LIST);
  });
});
