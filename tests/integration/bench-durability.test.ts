import { quickDurabilityOptions, runDurability } from '../../scripts/bench/durability';

jest.setTimeout(180_000);

describe('the durability bench, in quick mode', () => {
  it('kills and restarts the server every cycle, loses no acknowledged message, and produces every figure', async () => {
    const result = await runDurability(quickDurabilityOptions, () => undefined);
    expect(result.cycles).toHaveLength(quickDurabilityOptions.cycles);
    for (const cycle of result.cycles) {
      expect(cycle.chats).toBeGreaterThan(0);
      expect(cycle.acknowledged).toBeGreaterThan(0);
      expect(cycle.restartMs).toBeGreaterThan(0);
      for (const figure of [
        cycle.lost,
        cycle.duplicated,
        cycle.reordered,
        cycle.seqRegressions,
        cycle.seqChanged,
        cycle.chatsLost,
      ])
        expect(figure).toEqual(expect.any(Number));
    }
    expect(result.totals.acknowledged).toBeGreaterThan(0);
    // With the journal, kill -9 loses nothing that was acknowledged, and numbers never repeat.
    expect({
      lost: result.totals.lost,
      duplicated: result.totals.duplicated,
      reordered: result.totals.reordered,
      seqRegressions: result.totals.seqRegressions,
      chatsLost: result.totals.chatsLost,
    }).toEqual({
      lost: 0,
      duplicated: 0,
      reordered: 0,
      seqRegressions: 0,
      chatsLost: 0,
    });
    expect(result.lostAcknowledgedWrites).toBe(false);
    for (const steady of [result.journal.on, result.journal.off]) {
      expect(steady.acknowledged).toBeGreaterThan(0);
      expect(steady.messagesPerSecond).toBeGreaterThan(0);
      expect(steady.postMs.p50).toEqual(expect.any(Number));
      expect(steady.postMs.p99).toEqual(expect.any(Number));
    }
    expect(result.journal.ratio.messagesPerSecond).toEqual(expect.any(Number));
  });
});
