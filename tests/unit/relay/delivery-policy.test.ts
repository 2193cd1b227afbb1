import { DEFAULT_RETRY_POLICY, TEAMS_CONVERSATION_LIMITS, failureKind, rateLimitDelay, retryDelayMs } from '../../../bot/src/core/relay';

describe('Teams rate limits per conversation', () => {
  it('lets 7 sends through in a second and holds the 8th until the first leaves the window', () => {
    const seven = Array.from({ length: 7 }, (_, i) => 1_000 + i * 10);
    expect(rateLimitDelay(seven.slice(0, 6), TEAMS_CONVERSATION_LIMITS, 1_100)).toBe(0);
    expect(rateLimitDelay(seven, TEAMS_CONVERSATION_LIMITS, 1_100)).toBe(900);
  });

  it('holds the 61st send of 30 seconds even when each second is quiet', () => {
    const sixty = Array.from({ length: 60 }, (_, i) => i * 450);
    const now = 59 * 450 + 450;
    expect(rateLimitDelay(sixty, TEAMS_CONVERSATION_LIMITS, now)).toBe(30_000 - now);
  });
});

describe('which failures are retried', () => {
  it.each([
    [429, 'retry'],
    [412, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [undefined, 'retry'],
    [400, 'give-up'],
    [401, 'give-up'],
    [403, 'give-up'],
    [404, 'give-up'],
    [501, 'give-up'],
  ] as const)('status %s → %s', (status, kind) => {
    expect(failureKind(status)).toBe(kind);
  });

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0.999)).toBeLessThan(500);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, 0.5)).toBe(1_000);
    expect(retryDelayMs(20, DEFAULT_RETRY_POLICY, 0.999)).toBeLessThan(30_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0, 2_000)).toBe(2_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0, 3_600_000)).toBe(120_000);
  });
});
