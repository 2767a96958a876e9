import { backoffMs } from '../../../src/delivery/backoff';

const BASE = 1_000;
const MAX = 60_000;
const always = (value: number) => (): number => value;

describe('backoffMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [6, 32_000],
    [7, MAX],
    [8, MAX],
    [50, MAX],
  ])('attempt %i waits at most %i ms (doubling from the base, capped at the max)', (attempt, ceiling) => {
    expect(backoffMs(attempt, BASE, MAX, always(1))).toBe(ceiling);
  });

  it.each([
    ['nothing (random 0)', 0, 4_000],
    ['a quarter (random 0.5)', 0.5, 6_000],
    ['all (random 1)', 1, 8_000],
  ])('adds %s of the second half of the ceiling to its first half', (_what, random, ms) => {
    expect(backoffMs(4, BASE, MAX, always(random))).toBe(ms);
  });

  it.each([1, 0, -1, -100])('treats attempt %i as the first: the base', (attempt) => {
    expect(backoffMs(attempt, BASE, MAX, always(1))).toBe(BASE);
    expect(backoffMs(attempt, BASE, MAX, always(0))).toBe(BASE / 2);
  });

  it.each([1_000, 1_000_000, Number.MAX_SAFE_INTEGER, Infinity])('does not overflow at attempt %d', (attempt) => {
    expect(backoffMs(attempt, BASE, MAX, always(1))).toBe(MAX);
    expect(Number.isFinite(backoffMs(attempt, BASE, Infinity, always(1)))).toBe(true);
  });

  it('caps even the first attempt at the max', () => {
    expect(backoffMs(1, 5_000, 2_000, always(1))).toBe(2_000);
  });

  it('answers whole milliseconds', () => {
    expect(backoffMs(1, 3, MAX, always(0))).toBe(2);
    expect(backoffMs(3, BASE, MAX, always(0.123456))).toBe(Math.round(2_000 + 2_000 * 0.123456));
  });

  it('spreads retries between half and all of the ceiling with Math.random by default', () => {
    const waits = Array.from({ length: 200 }, () => backoffMs(5, BASE, MAX));
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(8_000);
      expect(ms).toBeLessThanOrEqual(16_000);
    }
    expect(new Set(waits).size).toBeGreaterThan(1);
  });
});
