import type { ChatEvent } from '../../../bot/src/core/model';
import { messagesToRelay, withoutHoles } from '../../../bot/src/core/relay';

const base = { id: 'e', tenantId: 't', type: 'chatEvent' as const, chatId: 'c', at: 0 };
const msg = (
  seq: number,
  from: 'customer' | 'agent' | 'system',
  text: string,
  audience: 'all' | 'agent' = 'all',
): ChatEvent => ({ ...base, seq, kind: 'message', from, authorName: from, text, audience });
const status = (seq: number): ChatEvent => ({
  ...base,
  seq,
  kind: 'status',
  state: 'waiting',
  position: 1,
  estimatedWaitSeconds: null,
  agentName: null,
});

describe('which customer messages the agent has not seen', () => {
  it('skips the first message at the start of a session (it is on the offer card)', () => {
    const events = [
      msg(1, 'customer', 'Where is my order?'),
      status(2),
      msg(3, 'customer', 'Order 1234'),
      msg(4, 'agent', 'Hi'),
    ];
    const result = messagesToRelay(events, 0, 'Where is my order?');
    expect(result.messages.map((m) => m.text)).toEqual(['Order 1234']);
    expect(result.cursor).toBe(4);
  });

  it('relays the first message when it is not the task’s first message (a transfer, a later chat)', () => {
    expect(messagesToRelay([msg(1, 'customer', 'Hello')], 0, null).messages.map((m) => m.text)).toEqual(['Hello']);
  });

  it('relays only what comes after the cursor, in sequence order', () => {
    const result = messagesToRelay(
      [msg(7, 'customer', 'b'), msg(6, 'customer', 'a'), msg(5, 'customer', 'old')],
      5,
      'a',
    );
    expect(result.messages.map((m) => m.text)).toEqual(['a', 'b']);
    expect(result.cursor).toBe(7);
  });

  it('relays notes for the agent, not the system messages the customer gets', () => {
    const events = [
      msg(2, 'system', 'You are now chatting with Alex.'),
      msg(3, 'system', 'The WhatsApp message was not delivered.', 'agent'),
    ];
    expect(messagesToRelay(events, 1, null).messages.map((m) => m.text)).toEqual([
      'The WhatsApp message was not delivered.',
    ]);
  });

  it('keeps the cursor when nothing is new', () => {
    expect(messagesToRelay([], 9, null)).toEqual({ messages: [], cursor: 9 });
  });
});

describe('relaying without overtaking an event still being written', () => {
  const at = (e: ChatEvent, ms: number): ChatEvent => ({ ...e, at: ms });

  it('holds everything after a missing number and says when to look again', () => {
    const events = [at(msg(4, 'customer', 'a'), 1_000), at(msg(6, 'customer', 'c'), 1_500)];
    const result = withoutHoles(events, 3, 2_000, 5_000);
    expect(result.events.map((e) => e.seq)).toEqual([4]);
    expect(result.retryInMs).toBe(4_500);
  });

  it('passes a hole once the event after it is older than the wait (the number was never written)', () => {
    const events = [at(msg(4, 'customer', 'a'), 1_000), at(msg(6, 'customer', 'c'), 1_500)];
    const result = withoutHoles(events, 3, 6_500, 5_000);
    expect(result.events.map((e) => e.seq)).toEqual([4, 6]);
    expect(result.retryInMs).toBeUndefined();
  });

  it('holds a hole right after the cursor too, and relays a contiguous run whole', () => {
    expect(withoutHoles([at(msg(5, 'customer', 'b'), 900)], 3, 1_000, 5_000).events).toEqual([]);
    const run = [msg(6, 'customer', 'c'), msg(4, 'customer', 'a'), msg(5, 'customer', 'b')];
    expect(withoutHoles(run, 3, 0, 5_000).events.map((e) => e.seq)).toEqual([4, 5, 6]);
  });
});
