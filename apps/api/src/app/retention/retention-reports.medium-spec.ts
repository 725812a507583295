import { tenantScope } from '../../core/scope/request-scope';
import { Db } from '../../infra/database/transaction';
import { useReportsWorld } from '../../test/medium/reports-world';
import { RetentionService } from './retention.service';

const FAMILIES = ['needs', 'referrals', 'contacts'] as const;

/**
 * What a purge does to reports (README, docs/operations.md): a quarter published before the purge
 * is served as it was published, although the contacts and referrals it counted are gone.
 */
describe('retention and published reports', () => {
  const s = useReportsWorld();

  it('leaves published quarters as they were after the records they counted are purged', async () => {
    const before = new Map<string, unknown>();
    for (const family of FAMILIES) {
      const res = await s.get(`/api/reports/${family}?period=2026-Q1`);
      expect(res.status).toBe(200);
      before.set(family, res.body);
    }
    // Keep contacts and closed referrals for 12 and 3 months, and purge well after 2026-Q1.
    await s.db.asSuperuser(
      `INSERT INTO retention_policy (organisation_id, record_class, keep, version, updated_at, updated_by)
       VALUES ($1, 'contacts', 12, 1, now(), $2), ($1, 'closed_referrals', 3, 1, now(), $2)`,
      [s.org, s.coordinator.id],
    );
    const later = new Date('2027-09-01T09:00:00Z');
    const outcome = await s.harbour.app
      .get(Db)
      .transaction(s.org, (tx) =>
        s.harbour.app.get(RetentionService).purge(tenantScope(tx), later, 'cli'),
      );
    const removed = Object.fromEntries(outcome.classes.map((c) => [c.class, c.count]));
    expect(removed['contacts']).toBeGreaterThan(0);
    expect(removed['closed_referrals']).toBeGreaterThan(0);
    const [left] = await s.db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact WHERE organisation_id = $1 AND occurred_on < '2026-04-01'`,
      [s.org],
    );
    expect(left).toEqual({ n: 0 });

    await s.at(later, async (get) => {
      for (const family of FAMILIES) {
        const res = await get(`/api/reports/${family}?period=2026-Q1`);
        expect({ family, status: res.status, body: res.body }).toEqual({
          family,
          status: 200,
          body: before.get(family),
        });
      }
    });
  }, 240_000);
});
