import { quickBenchOptions, runBench } from '../../scripts/bench/bench';

jest.setTimeout(240_000);

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
    // Cosmos HTTP requests (query plans included): every figure numeric, those of an item above zero.
    for (const value of [
      ...Object.values(result.cosmosRequests.lifecycleByKind),
      result.cosmosRequests.backgroundPerSecond,
      result.cosmosRequests.backgroundPerSecondWithIdleChats,
    ])
      expect(value).toEqual(expect.any(Number));
    for (const value of [
      result.cosmosRequests.perRelayedMessage,
      result.cosmosRequests.perCustomerToAgentMessage,
      result.cosmosRequests.perAgentToCustomerMessage,
      result.cosmosRequests.perTaskLifecycle,
      result.cosmosRequests.perTaskLifecycleWithWorkflow,
      result.cosmosRequests.lifecycleByKind.total,
    ])
      expect(value).toBeGreaterThan(0);
    // A query is always preceded by its query plan request.
    expect(result.cosmosRequests.lifecycleByKind.queryPlans).toBeGreaterThan(0);
    // CPU and memory vary from run to run: present and numeric only.
    for (const value of Object.values(result.cpuMs)) expect(value).toEqual(expect.any(Number));
    expect(result.memory.bytesPerIdleChat).toEqual(expect.any(Number));
    expect(result.memory.heapBytesPerIdleChat).toEqual(expect.any(Number));
    // Across instances: the customer on one server, the agent on another, both on one Cosmos.
    const cross = result.crossInstance;
    expect(cross).not.toBeNull();
    expect(cross!.instances).toBe(2);
    for (const figure of [cross!.customerToAgentMs, cross!.agentToCustomerMs]) {
      expect(figure.count).toBe(quickBenchOptions.chats * quickBenchOptions.messages);
      expect(figure.p50).toEqual(expect.any(Number));
    }
    expect({ lost: cross!.lost, reordered: cross!.reordered }).toEqual({ lost: 0, reordered: 0 });
    expect(cross!.feedPollsPerSecondPerInstance).toEqual(expect.any(Number));
    expect(cross!.feedPollsPerSecondPerInstance).toBeGreaterThan(0);
    // Reporting at size: every seeded report counted, one document per service and day read per summary.
    const reports = result.reports!;
    expect(reports.taskReports).toBe(quickBenchOptions.reports);
    expect(reports.documentsReadPerSummary).toBe(reports.dayDocuments);
    expect(reports.dayDocuments).toBeLessThanOrEqual(reports.services * reports.days);
    expect(reports.csvRows).toBe(quickBenchOptions.reports / reports.services);
    expect(reports.summaryMs.p50).toEqual(expect.any(Number));
    expect(reports.cosmosRequestsPerSummary).toEqual(expect.any(Number));
    // The dashboard reads per service its queue partition and today's document: a bounded count.
    expect(reports.cosmosRequestsPerDashboard).toBeGreaterThanOrEqual(reports.services * 2);
    expect(reports.dashboardMs.count).toBeGreaterThan(0);
    expect({ errors: result.errors, lost: result.lostMessages, reordered: result.reorderedMessages }).toEqual({
      errors: 0,
      lost: 0,
      reordered: 0,
    });
  });
});
