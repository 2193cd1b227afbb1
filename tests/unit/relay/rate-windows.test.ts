import {
  TEAMS_CONVERSATION_LIMITS,
  WHATSAPP_SENDER_LIMITS,
  pruneSendTimes,
  rateLimitDelay,
} from '../../../bot/src/core/relay';

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

describe('a WhatsApp sender’s rate', () => {
  it('lets 10 messages through in a second and holds the 11th until the first leaves the window', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i * 20);
    expect(rateLimitDelay(ten.slice(0, 9), WHATSAPP_SENDER_LIMITS, 200)).toBe(0);
    expect(rateLimitDelay(ten, WHATSAPP_SENDER_LIMITS, 200)).toBe(800);
  });

  it('forgets sends older than the longest window', () => {
    expect(pruneSendTimes([0, 500, 1_500], WHATSAPP_SENDER_LIMITS, 2_000)).toEqual([1_500]);
    expect(pruneSendTimes([0, 500], [], 2_000)).toEqual([]);
  });
});
