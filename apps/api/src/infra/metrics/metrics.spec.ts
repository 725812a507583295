import type { Request } from 'express';
import { checkMachineToken } from '../auth/machine-token';
import { DomainError } from '../http/domain-error';
import { METRIC, Metrics } from './metrics';

const lines = async (metrics: Metrics, name: string): Promise<string[]> =>
  (await metrics.exposition()).body.split('\n').filter((l) => l.startsWith(name));

describe('Metrics', () => {
  it('exposes request histograms with cumulative buckets, +Inf, sum and count', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.observeRequest('GET', '/api/persons/:id', 200, 0.004);
    metrics.observeRequest('GET', '/api/persons/:id', 200, 0.2);
    metrics.observeRequest('GET', '/api/persons/:id', 200, 20);
    metrics.observeRequest('BREW', '/api/persons/:id', 404, 0.004);
    const series = '{method="GET",route="/api/persons/:id",status="200"';
    const body = await lines(metrics, METRIC.requestDuration);
    expect(body).toEqual(
      expect.arrayContaining([
        `${METRIC.requestDuration}_bucket${series},le="0.005"} 1`,
        `${METRIC.requestDuration}_bucket${series},le="0.1"} 1`,
        `${METRIC.requestDuration}_bucket${series},le="0.25"} 2`,
        `${METRIC.requestDuration}_bucket${series},le="10"} 2`,
        `${METRIC.requestDuration}_bucket${series},le="+Inf"} 3`,
        `${METRIC.requestDuration}_sum${series}} 20.204`,
        `${METRIC.requestDuration}_count${series}} 3`,
        // An unknown method becomes `other`: labels stay a bounded set.
        `${METRIC.requestDuration}_count{method="other",route="/api/persons/:id",status="404"} 1`,
      ]),
    );
  });

  it('counts errors by code, decrypts by kind and times appends', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.countError('not_found');
    metrics.countError('not_found');
    metrics.countDecrypt('text');
    metrics.startAppend('separate')();
    expect(await lines(metrics, METRIC.errors)).toContain(`${METRIC.errors}{code="not_found"} 2`);
    expect(await lines(metrics, METRIC.decrypts)).toContain(`${METRIC.decrypts}{kind="text"} 1`);
    expect(await lines(metrics, `${METRIC.accessLogAppend}_count`)).toContain(
      `${METRIC.accessLogAppend}_count{mode="separate"} 1`,
    );
  });

  it('reports pools, and leaves out a database figure that cannot be read', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.watchPool('main', { totalCount: 5, idleCount: 3, waitingCount: 1 });
    metrics.useDatabase({
      queueDepth: () => Promise.reject(new Error('database down')),
      organisationsInLockdown: () => Promise.resolve(2),
    });
    const body = (await metrics.exposition()).body;
    expect(body).toContain(`${METRIC.dbPool}{pool="main",state="waiting"} 1`);
    expect(body).toContain(`${METRIC.lockdown} 2`);
    expect(body).not.toMatch(new RegExp(`^${METRIC.jobQueue}\\{`, 'm'));
    expect(await lines(metrics, METRIC.scrapeErrors)).toContain(
      `${METRIC.scrapeErrors}{source="job_queue"} 1`,
    );
  });
});

describe('checkMachineToken', () => {
  const TOKEN = 'a'.repeat(40);
  const req = (authorization?: string) => ({ headers: { authorization } }) as unknown as Request;
  const codeOf = (fn: () => void): string | null => {
    try {
      fn();
      return null;
    } catch (error) {
      return error instanceof DomainError ? error.code : 'other';
    }
  };

  it('is off without a configured token, whatever is sent', () => {
    expect(codeOf(() => checkMachineToken(req(`Bearer ${TOKEN}`), null))).toBe('not_found');
  });

  it('accepts the token as a bearer and refuses anything else as unauthenticated', () => {
    expect(codeOf(() => checkMachineToken(req(`Bearer ${TOKEN}`), TOKEN))).toBeNull();
    for (const header of [
      undefined,
      '',
      TOKEN,
      `bearer${TOKEN}`,
      `Bearer ${TOKEN} `,
      `Bearer b${TOKEN.slice(1)}`,
      `Bearer ${TOKEN}a`,
    ]) {
      expect({ header, code: codeOf(() => checkMachineToken(req(header), TOKEN)) }).toEqual({
        header,
        code: 'unauthenticated',
      });
    }
  });
});
