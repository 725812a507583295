import { GroupCommit } from './group-commit';

/** One turn of the event loop (the group commit yields one before each batch). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A write that the test releases by hand, recording each batch it was given. */
function gatedWriter(fail: (items: readonly string[]) => boolean = () => false) {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  const write = (key: string, items: readonly string[]): Promise<void> => {
    batches.push(items.map((i) => `${key}:${i}`));
    return new Promise<void>((resolve, reject) => {
      gates.push(() => (fail(items) ? reject(new Error('write failed')) : resolve()));
    });
  };
  /** Releases every write waiting now; then lets the group commit start its next batch. */
  const release = async (): Promise<void> => {
    for (const open of gates.splice(0)) open();
    await turn();
    await turn();
  };
  return { batches, write, release };
}

describe('GroupCommit (docs/adr/0017)', () => {
  it('takes what was submitted in the same turn as one batch', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write);
    const all = ['a', 'b', 'c'].map((i) => group.submit('org', i));
    await turn();
    expect(w.batches).toEqual([['org:a', 'org:b', 'org:c']]);
    await w.release();
    await Promise.all(all);
  });

  it('writes the items that queued while a batch was written as the next batch', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write);
    const settled: string[] = [];
    const submit = (item: string) => group.submit('org', item).then(() => settled.push(item));
    const all = [submit('a')];
    await turn();
    expect(w.batches).toEqual([['org:a']]);
    all.push(submit('b'), submit('c'), submit('d'));
    await turn();
    expect(w.batches).toEqual([['org:a']]);
    expect(settled).toEqual([]);
    await w.release();
    // Nothing is acknowledged before its own batch has been written.
    expect(settled).toEqual(['a']);
    expect(w.batches).toEqual([['org:a'], ['org:b', 'org:c', 'org:d']]);
    await w.release();
    await Promise.all(all);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets a caller answered by a batch that appends again join the next batch', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write);
    const loop = async (name: string) => {
      for (let i = 0; i < 3; i++) await group.submit('org', `${name}${i}`);
    };
    const all = Promise.all([loop('x'), loop('y')]);
    await turn();
    for (let i = 0; i < 3; i++) await w.release();
    await all;
    expect(w.batches).toEqual([
      ['org:x0', 'org:y0'],
      ['org:x1', 'org:y1'],
      ['org:x2', 'org:y2'],
    ]);
  });

  it('keeps keys apart: one batch in flight per key, several keys at once', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write);
    const all = [group.submit('x', '1'), group.submit('y', '1')];
    await turn();
    expect(w.batches).toEqual([['x:1'], ['y:1']]);
    all.push(group.submit('x', '2'));
    await turn();
    expect(w.batches).toEqual([['x:1'], ['y:1']]);
    await w.release();
    expect(w.batches).toEqual([['x:1'], ['y:1'], ['x:2']]);
    await w.release();
    await Promise.all(all);
  });

  it('takes at most maxBatch items per batch', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write, () => true, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((i) => group.submit('k', i));
    await turn();
    for (let i = 0; i < 3; i++) await w.release();
    await Promise.all(all);
    expect(w.batches.map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('retries each item of a failed batch alone, so only the one that cannot be written fails', async () => {
    const w = gatedWriter((items) => items.includes('bad'));
    const group = new GroupCommit<string>(w.write);
    const outcome = (item: string) =>
      group.submit('k', item).then(
        () => `${item} ok`,
        () => `${item} failed`,
      );
    const all = [outcome('first')];
    await turn();
    all.push(outcome('good'), outcome('bad'), outcome('fine'));
    for (let i = 0; i < 6; i++) await w.release();
    expect(await Promise.all(all)).toEqual(['first ok', 'good ok', 'bad failed', 'fine ok']);
    expect(w.batches).toEqual([
      ['k:first'],
      ['k:good', 'k:bad', 'k:fine'],
      ['k:good'],
      ['k:bad'],
      ['k:fine'],
    ]);
  });

  it('fails the whole batch without retries when the error says retrying is pointless', async () => {
    const w = gatedWriter(() => true);
    const group = new GroupCommit<string>(w.write, () => false);
    const outcome = (item: string) =>
      group.submit('k', item).then(
        () => 'ok',
        () => 'failed',
      );
    const all = [outcome('a')];
    await turn();
    all.push(outcome('b'), outcome('c'));
    for (let i = 0; i < 4; i++) await w.release();
    expect(await Promise.all(all)).toEqual(['failed', 'failed', 'failed']);
    expect(w.batches).toEqual([['k:a'], ['k:b', 'k:c']]);
  });
});
