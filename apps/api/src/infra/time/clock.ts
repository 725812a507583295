import { Injectable } from '@nestjs/common';

/** The time source. Time rules (session timeouts, backoff, step-up) read it, so tests can move it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests set and advance by hand. */
export class FakeClock extends Clock {
  constructor(private current: Date = new Date('2026-11-22T09:00:00.000Z')) {
    super();
  }

  override now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date): void {
    this.current = new Date(at.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
