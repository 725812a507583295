/** The most items one batch takes (the rest wait for the next one). */
export const GROUP_COMMIT_MAX_BATCH = 256;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit per key (docs/adr/0017): at most one batch per key is being written at a time;
 * items submitted meanwhile queue up and go together into the next batch. Each submitter's
 * promise settles with the batch that carried its item, so nothing is acknowledged before it
 * has been written. When a batch of several fails, each of its items is retried alone (when
 * `retryAlone` allows), so one item that cannot be written never fails the others.
 */
export class GroupCommit<T> {
  private readonly queues = new Map<string, Waiting<T>[]>();

  constructor(
    private readonly write: (key: string, items: readonly T[]) => Promise<void>,
    private readonly retryAlone: (error: unknown) => boolean = () => true,
    private readonly maxBatch = GROUP_COMMIT_MAX_BATCH,
  ) {}

  submit(key: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue !== undefined) {
        // A batch of this key is being written: this item goes into the next one.
        queue.push({ item, resolve, reject });
        return;
      }
      const started: Waiting<T>[] = [{ item, resolve, reject }];
      this.queues.set(key, started);
      void this.drain(key, started);
    });
  }

  /**
   * Writes batches of `key` until its queue is empty, then forgets the key. Before each batch it
   * yields one turn of the event loop (`setImmediate`), so appends submitted by callbacks that
   * are already due — other requests, callers answered by the last batch that append again —
   * join this batch instead of waiting for the next; the queue is only given up when it is
   * still empty after that turn.
   */
  private async drain(key: string, queue: Waiting<T>[]): Promise<void> {
    for (;;) {
      await nextTurn();
      if (queue.length === 0) break;
      const batch = queue.splice(0, this.maxBatch);
      await this.writeBatch(key, batch);
    }
    this.queues.delete(key);
  }

  private async writeBatch(key: string, batch: readonly Waiting<T>[]): Promise<void> {
    try {
      await this.write(
        key,
        batch.map((w) => w.item),
      );
      for (const w of batch) w.resolve();
      return;
    } catch (error) {
      if (batch.length === 1 || !this.retryAlone(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
    }
    for (const w of batch) {
      try {
        await this.write(key, [w.item]);
        w.resolve();
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
