/** How long a writer waits for its predecessor's turn before it goes anyway. */
export const HEAD_TURN_PATIENCE_MS = 50;

/**
 * Turns per key, in arrival order (docs/adr/0018): `take` runs `work` once every earlier `take`
 * of the same key has finished, or once it has waited `patienceMs` for them. The access log runs
 * one append of an organisation at a time per process up to the point where it holds the head,
 * so each writer's statement reaches PostgreSQL after its predecessor's has taken the row lock:
 * it waits behind exactly that writer, for exactly the head that writer wrote. Turns only order
 * writers for speed, never for correctness (the row lock and the check of the head do that), so
 * the wait is bounded: a transaction that holds the head by other means (pruning, say) and then
 * appends is not left waiting for writers that wait for it.
 */
export class HeadTurns {
  private readonly last = new Map<string, Promise<void>>();

  constructor(private readonly patienceMs = HEAD_TURN_PATIENCE_MS) {}

  async take<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.last.get(key);
    let finished!: () => void;
    const mine = new Promise<void>((resolve) => (finished = resolve));
    this.last.set(key, mine);
    try {
      if (previous !== undefined) await this.atMostPatience(previous);
      return await work();
    } finally {
      finished();
      if (this.last.get(key) === mine) this.last.delete(key);
    }
  }

  private async atMostPatience(previous: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        previous,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.patienceMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
