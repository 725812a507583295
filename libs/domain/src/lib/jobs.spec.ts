import { jobPercent } from './jobs';

describe('jobPercent', () => {
  it('is whole percent done, capped at 100, and unknown until the job has counted its work', () => {
    expect(jobPercent({ state: 'queued', done: 0, total: null })).toBeNull();
    expect(jobPercent({ state: 'running', done: 250, total: 1000 })).toBe(25);
    expect(jobPercent({ state: 'running', done: 999, total: 1000 })).toBe(99);
    // A later pass may find more than was counted at the start.
    expect(jobPercent({ state: 'running', done: 1200, total: 1000 })).toBe(100);
    expect(jobPercent({ state: 'running', done: 0, total: 0 })).toBe(0);
    expect(jobPercent({ state: 'completed', done: 0, total: 0 })).toBe(100);
  });
});
