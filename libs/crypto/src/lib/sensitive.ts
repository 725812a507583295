import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A plaintext value that must never reach a log line, an error message or a JSON response by
 * accident. `toJSON`, `toString`, template literals and `util.inspect` (which pino, console and
 * Jest use) all print `[REDACTED]`; the value is only reachable through an explicit `reveal()`.
 */
export class Sensitive<T> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The plaintext. Every call site is a place where plaintext exists: keep them few. */
  reveal(): T {
    return this.#value;
  }

  /** Apply `fn` to the plaintext and keep the result wrapped. */
  map<U>(fn: (value: T) => U): Sensitive<U> {
    return new Sensitive(fn(this.#value));
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function sensitive<T>(value: T): Sensitive<T> {
  return new Sensitive(value);
}
