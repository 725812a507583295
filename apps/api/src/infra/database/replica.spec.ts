import { ReplicaReads, replicaUnavailable } from './replica';
import type { Tx } from './transaction';

describe('replicaUnavailable', () => {
  it('is true for a replica that cannot serve now: no connection, shutting down, recovery conflicts', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }),
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '57P03', message: 'the database system is starting up' },
      { code: '08006', message: 'connection failure' },
      { code: '40001', message: 'canceling statement due to conflict with recovery' },
      { code: '53300', message: 'too many connections' },
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(replicaUnavailable(error)).toBe(true);
    }
  });

  it('is false for a statement that is wrong wherever it runs', () => {
    for (const error of [
      { code: '42P01', message: 'relation does not exist' },
      { code: '25006', message: 'cannot execute UPDATE in a read-only transaction' },
      { code: '22P02', message: 'invalid input syntax' },
      new Error('a publication was not stored'),
      null,
      'ECONNREFUSED',
    ]) {
      expect(replicaUnavailable(error)).toBe(false);
    }
  });
});

describe('ReplicaReads without a replica', () => {
  it("runs the work on the request's own transaction and counts it as the primary's", async () => {
    const reads = new ReplicaReads(null);
    const tx = { organisationId: 'org' } as unknown as Tx;
    const seen: Tx[] = [];
    const result = await reads.read({ tx, organisationId: 'org' }, (on) => {
      seen.push(on);
      return Promise.resolve(42);
    });
    expect(result).toBe(42);
    expect(seen).toEqual([tx]);
    expect(reads.counts()).toEqual({ replica: 0, primary: 1 });
    expect(reads.configured).toBe(false);
    expect(reads.maxLagSeconds).toBeNull();
    expect(await reads.state()).toBeNull();
  });
});
