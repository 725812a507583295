import { Clock, formatCountdown } from './clock';

describe('Clock', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([
    [120_000, '2:00'],
    [119_001, '2:00'],
    [61_000, '1:01'],
    [9_000, '0:09'],
    [0, '0:00'],
    [-5_000, '0:00'],
    [15 * 60_000, '15:00'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it('runs a callback at a time, and not if cancelled', () => {
    jest.useFakeTimers({ now: 1_000 });
    const clock = new Clock();
    const ran: string[] = [];
    clock.at(5_000, () => ran.push('kept'));
    const cancel = clock.at(5_000, () => ran.push('cancelled'));
    cancel();

    jest.advanceTimersByTime(3_999);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ran).toEqual(['kept']);
  });

  it('waits correctly beyond the longest setTimeout delay', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    jest.useFakeTimers({ now: start });
    const clock = new Clock();
    const ran: number[] = [];
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    clock.at(start + thirtyDays, () => ran.push(Date.now()));

    jest.advanceTimersByTime(thirtyDays - 1);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ran).toEqual([start + thirtyDays]);
  });

  it('runs at once for a time already past', () => {
    jest.useFakeTimers({ now: 10_000 });
    const ran: boolean[] = [];
    new Clock().at(5_000, () => ran.push(true));
    jest.advanceTimersByTime(0);
    expect(ran).toEqual([true]);
  });
});
