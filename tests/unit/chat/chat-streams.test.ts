import pino from 'pino';
import type { ChatService } from '../../../bot/src/services/chat/chat-service';
import { ChatStreams } from '../../../bot/src/services/chat/chat-streams';

/** Counts the chat reads heartbeats make; the chat's last sequence number is whatever the test says. */
function readsOf(lastSeq: () => number) {
  const reads: string[] = [];
  const chats = {
    get: (tenantId: string, chatId: string) => (
      reads.push(`${tenantId}/${chatId}`),
      Promise.resolve({ lastSeq: lastSeq() })
    ),
  } as unknown as ChatService;
  return { chats, reads };
}
// Taken before the fake timers are installed: lets the reads' promises settle between beats.
const realSetImmediate = global.setImmediate;
const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

describe('idle event streams', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('share one read of their chat per heartbeat, whatever their number', async () => {
    const { chats, reads } = readsOf(() => 7);
    const streams = new ChatStreams(chats, {
      heartbeatMs: 1000,
      readOnHeartbeat: true,
      limits: { perChat: 3, perOwner: 10 },
      log: pino({ level: 'silent' }),
    });
    const beats: (number | undefined)[][] = [[], [], [], []];
    const handles = [0, 1, 2].map((i) =>
      streams.open('t', 'c1', i === 0 ? 'customer' : 'agent', `o${i}`, (seq) => beats[i]!.push(seq)),
    );
    handles.push(streams.open('t', 'c2', 'customer', 'o3', (seq) => beats[3]!.push(seq)));
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(1000);
      await flush();
    }
    // Two chats, ten beats: twenty reads, not forty.
    expect(reads.filter((r) => r === 't/c1')).toHaveLength(10);
    expect(reads.filter((r) => r === 't/c2')).toHaveLength(10);
    expect(beats.map((b) => b.length)).toEqual([10, 10, 10, 10]);
    expect(beats[0]![0]).toBe(7);

    for (const h of handles) if (h.ok) h.value.close();
    jest.advanceTimersByTime(5000);
    await flush();
    expect(reads).toHaveLength(20);
    expect(streams.size).toBe(0);
  });

  it("only ping when the change feed brings other instances' events: no read at all", async () => {
    const { chats, reads } = readsOf(() => 7);
    const streams = new ChatStreams(chats, {
      heartbeatMs: 1000,
      readOnHeartbeat: false,
      limits: { perChat: 3, perOwner: 10 },
      log: pino({ level: 'silent' }),
    });
    const beats: (number | undefined)[] = [];
    const handle = streams.open('t', 'c1', 'customer', 'o1', (seq) => beats.push(seq));
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(1000);
      await flush();
    }
    expect(reads).toEqual([]);
    expect(beats).toEqual([undefined, undefined, undefined, undefined, undefined]);
    if (handle.ok) handle.value.close();
  });

  it('tells when a chat gains its first customer stream and loses its last', () => {
    const { chats } = readsOf(() => 0);
    const changes: string[] = [];
    const streams = new ChatStreams(chats, {
      heartbeatMs: 1000,
      readOnHeartbeat: true,
      limits: { perChat: 3, perOwner: 10 },
      log: pino({ level: 'silent' }),
      onCustomerPresence: (_t, c, present) => changes.push(`${c}:${present}`),
    });
    const a = streams.open('t', 'c1', 'customer', 'ip:1', () => undefined);
    const b = streams.open('t', 'c1', 'customer', 'ip:1', () => undefined);
    const agent = streams.open('t', 'c1', 'agent', 'user:x', () => undefined);
    if (!a.ok || !b.ok || !agent.ok) throw new Error('refused');
    a.value.close();
    agent.value.close();
    expect(changes).toEqual(['c1:true']);
    b.value.close();
    expect(changes).toEqual(['c1:true', 'c1:false']);
    const c = streams.open('t', 'c1', 'customer', 'ip:1', () => undefined);
    if (!c.ok) throw new Error('refused');
    // Closed because the chat ended: the customer did not leave.
    c.value.close(true);
    expect(changes).toEqual(['c1:true', 'c1:false', 'c1:true']);
  });
});
