import { quickBenchOptions, runBench } from '../../scripts/bench/bench';

jest.setTimeout(120_000);

describe('the benchmark, in quick mode', () => {
  it('produces every figure and loses, reorders and fails nothing', async () => {
    const result = await runBench(quickBenchOptions, () => undefined);
    const latencies = [
      result.floor.relayMs,
      result.floor.sseMs,
      result.relay.customerToAgentMs,
      result.relay.agentToCustomerMs,
      result.timeToOfferMs,
    ];
    for (const figure of latencies) {
      expect(figure.count).toBeGreaterThan(0);
      for (const value of [figure.p50, figure.p95, figure.p99]) expect(value).toEqual(expect.any(Number));
    }
    expect(result.relay.customerToAgentMs.count).toBe(quickBenchOptions.chats * quickBenchOptions.messages);
    expect(result.relay.agentToCustomerMs.count).toBe(quickBenchOptions.chats * quickBenchOptions.messages);
    for (const ratioValue of [
      result.relay.customerToAgentMs.ratioP50,
      result.relay.agentToCustomerMs.ratioP50,
      result.timeToOfferMs.ratioP50,
    ])
      expect(ratioValue).toEqual(expect.any(Number));
    expect(result.throughput.chatsPerSecond).toBeGreaterThan(0);
    expect(result.throughput.messagesPerSecond).toBeGreaterThan(0);
    expect(result.cosmosRequests.perRelayedMessage).toBeGreaterThan(0);
    expect(result.cosmosRequests.perTaskLifecycle).toBeGreaterThan(0);
    expect(result.memory.bytesPerIdleChat).toEqual(expect.any(Number));
    expect({ errors: result.errors, lost: result.lostMessages, reordered: result.reorderedMessages }).toEqual({
      errors: 0,
      lost: 0,
      reordered: 0,
    });
  });
});
