import { HeadTurns } from './head-turns';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('HeadTurns', () => {
  it('runs the work of one key in arrival order, each after the previous has finished', async () => {
    const turns = new HeadTurns(10_000);
    const events: string[] = [];
    const work = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await tick(ms);
      events.push(`${name} end`);
    };
    await Promise.all([
      turns.take('org', work('a', 30)),
      turns.take('org', work('b', 1)),
      turns.take('org', work('c', 1)),
    ]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('does not order different keys, and goes on after a failed turn', async () => {
    const turns = new HeadTurns(10_000);
    const events: string[] = [];
    const slow = turns.take('one', async () => {
      await tick(50);
      events.push('one');
      throw new Error('failed');
    });
    const other = turns.take('two', () => Promise.resolve(void events.push('two')));
    const next = turns.take('one', () => Promise.resolve(void events.push('one again')));
    await expect(slow).rejects.toThrow('failed');
    await Promise.all([other, next]);
    expect(events).toEqual(['two', 'one', 'one again']);
  });

  it('waits for an unfinished turn no longer than its patience', async () => {
    const turns = new HeadTurns(20);
    let release!: () => void;
    const held = turns.take('org', () => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    await turns.take('org', () => Promise.resolve());
    expect(Date.now() - started).toBeLessThan(1_000);
    release();
    await held;
  });
});
