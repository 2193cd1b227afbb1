import {
  MAX_SHARED_INSTANCES,
  TEAMS_CONVERSATION_LIMITS,
  joinSettled,
  shareOf,
  shareWindows,
  windowCount,
} from '../../../bot/src/core/relay';

const limits = (n: number) => shareOf(TEAMS_CONVERSATION_LIMITS, n).map((w) => w.limit);

describe('the budget share of the Teams per-conversation limits', () => {
  it('gives a lone instance the full limits', () => {
    expect(shareOf(TEAMS_CONVERSATION_LIMITS, 1)).toEqual(TEAMS_CONVERSATION_LIMITS);
  });

  it('divides every window by the live instances, rounding down', () => {
    expect(limits(2)).toEqual([3, 4, 30, 900]);
    expect(limits(3)).toEqual([2, 2, 20, 600]);
    expect(limits(7)).toEqual([1, 1, 8, 257]);
  });

  it('never lets n instances together exceed a window, up to the supported number', () => {
    for (let n = 1; n <= MAX_SHARED_INSTANCES; n++)
      shareOf(TEAMS_CONVERSATION_LIMITS, n).forEach((w, i) =>
        expect(n * w.limit).toBeLessThanOrEqual(TEAMS_CONVERSATION_LIMITS[i]!.limit),
      );
  });

  it('keeps one send per window beyond the supported number of instances', () => {
    expect(limits(8)[0]).toBe(1);
    expect(limits(20)).toEqual([1, 1, 3, 90]);
  });

  it('counts a departed member in a window until a whole window has passed since it left', () => {
    const members = [{ leftAt: undefined }, { leftAt: 10_000 }];
    expect(windowCount(members, 1_000, 10_500)).toBe(3);
    expect(windowCount(members, 1_000, 11_000)).toBe(2);
    expect(windowCount(members, 30_000, 11_000)).toBe(3);
    const shares = shareWindows(TEAMS_CONVERSATION_LIMITS, (w) => windowCount(members, w.windowMs, 11_000));
    expect(shares.map((w) => w.limit)).toEqual([3, 2, 20, 600]);
  });
});

describe('the join rule', () => {
  it('lets a lone instance send at once', () => {
    expect(joinSettled('c', 100, [])).toBe(true);
    expect(joinSettled('c', 100, [{ id: 'c', renewedAt: 100, knows: ['c'] }])).toBe(true);
  });

  it('waits until every other member renewed after the join, knowing the newcomer', () => {
    const a = { id: 'a', renewedAt: 150, knows: ['a', 'b', 'c'] };
    expect(joinSettled('c', 100, [a, { id: 'b', renewedAt: 120, knows: ['a', 'b'] }])).toBe(false);
    expect(joinSettled('c', 100, [a, { id: 'b', renewedAt: 160, knows: ['a', 'b', 'c'] }])).toBe(true);
  });

  it('does not trust a renewal from before the join, even one naming the newcomer (a rejoin)', () => {
    expect(joinSettled('c', 100, [{ id: 'a', renewedAt: 90, knows: ['a', 'c'] }])).toBe(false);
  });
});
