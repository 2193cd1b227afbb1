import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, MAX_RETRY_AFTER_MS, retryDelayMs } from '../../../bot/src/core/relay';

describe('the backoff between attempts', () => {
  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0.999)).toBeLessThan(500);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, 0.5)).toBe(1_000);
    expect(retryDelayMs(20, DEFAULT_RETRY_POLICY, 0.999)).toBeLessThan(30_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0, 2_000)).toBe(2_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0, 3_600_000)).toBe(120_000);
  });

  it('draws its jitter from the randomness it is given: the same draw, the same wait', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, 0.5))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, 0))).toEqual([0, 0, 0, 0]);
  });

  it('stays below a ceiling that doubles per attempt up to the cap, and at least at Retry-After (any draw)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
        (attempt, random, baseDelayMs, cap, retryAfterMs) => {
          const policy = { maxAttempts: 10, baseDelayMs, maxDelayMs: cap };
          const delay = retryDelayMs(attempt, policy, random, retryAfterMs);
          const ceiling = Math.min(cap, baseDelayMs * 2 ** (attempt - 1));
          const floor = Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(floor);
          expect(delay).toBeLessThanOrEqual(Math.max(ceiling, floor));
        },
      ),
    );
  });
});
