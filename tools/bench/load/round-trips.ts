import { Client } from 'pg';

/**
 * Counts the database round trips a piece of work makes: every `query` call of a node-postgres
 * client in this process (the API's pools and the control's alike) is one message to the server
 * and one wait for its answer — a simple-protocol text with several statements is one, a prepared
 * statement (parse, bind, execute, sync in one write) is one.
 */
export interface RoundTrips {
  readonly count: number;
  /** The statements, first line of each, in order (for `--trace`). */
  readonly statements: string[];
}

export async function countRoundTrips(work: () => Promise<unknown>): Promise<RoundTrips> {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null && 'text' in first
          ? String(first.text)
          : '?';
    statements.push(text.replace(/\s+/g, ' ').trim().slice(0, 110));
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return { count: statements.length, statements };
}
