import { ChatService } from '../../../bot/src/services/chat/chat-service';
import { ManualClock } from '../../../bot/src/services/routing';
import type { Store } from '../../../bot/src/store';
import { newTenantId, openTestStore } from '../../helpers/store';

let store: Store;
let chats: ChatService;
beforeAll(async () => {
  store = await openTestStore();
  chats = new ChatService(store, new ManualClock());
});
afterAll(async () => {
  await store.close();
});

const openChat = (tenantId: string) =>
  chats.open({
    tenantId,
    target: { kind: 'service', serviceId: 'svc' },
    channel: 'interact',
    contactId: 'ct-1',
    customer: { displayName: 'Casey', email: 'casey@example.com', address: null },
  });

describe('chat event log', () => {
  it('numbers 40 concurrent messages 1..40 with no duplicate and no gap', async () => {
    const tenantId = newTenantId();
    const chat = await openChat(tenantId);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        chats.postMessage(tenantId, chat.id, i % 2 ? 'agent' : 'customer', 'x', `message ${i}`),
      ),
    );
    const seqs = results.map((r) => (r.ok ? r.value.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await chats.get(tenantId, chat.id))?.lastSeq).toBe(40);
  });

  it('returns the events after a given one, in order (resume)', async () => {
    const tenantId = newTenantId();
    const chat = await openChat(tenantId);
    for (const text of ['one', 'two', 'three', 'four'])
      await chats.postMessage(tenantId, chat.id, 'customer', 'Casey', text);
    await chats.postStatus(tenantId, chat.id, {
      state: 'waiting',
      position: 2,
      estimatedWaitSeconds: 40,
      agentName: null,
    });
    const after = await chats.eventsAfter(tenantId, chat.id, 2);
    expect(after.map((e) => [e.seq, e.kind === 'message' ? e.text : e.state])).toEqual([
      [3, 'three'],
      [4, 'four'],
      [5, 'waiting'],
    ]);
  });

  it('tells live listeners of that chat only, after storing', async () => {
    const tenantId = newTenantId();
    const [a, b] = [await openChat(tenantId), await openChat(tenantId)];
    const seen: string[] = [];
    const stop = chats.subscribe(
      tenantId,
      a.id,
      (e) => void seen.push(e.type === 'event' && e.event.kind === 'message' ? e.event.text : e.type),
    );
    await chats.postMessage(tenantId, a.id, 'customer', 'Casey', 'for a');
    await chats.postMessage(tenantId, b.id, 'customer', 'Casey', 'for b');
    chats.typing(tenantId, a.id, 'agent', true);
    stop();
    await chats.postMessage(tenantId, a.id, 'customer', 'Casey', 'after stop');
    expect(seen).toEqual(['for a', 'typing']);
  });

  it('refuses messages once the chat has ended, but records the end', async () => {
    const tenantId = newTenantId();
    const chat = await openChat(tenantId);
    expect(await chats.end(tenantId, chat.id, 'customer')).toBe(true);
    expect(await chats.end(tenantId, chat.id, 'agent')).toBe(false);
    expect(await chats.postMessage(tenantId, chat.id, 'agent', 'Alex', 'hello?')).toEqual({
      ok: false,
      refusal: 'chat-ended',
    });
    expect(
      (
        await chats.postStatus(tenantId, chat.id, {
          state: 'ended',
          position: null,
          estimatedWaitSeconds: null,
          agentName: null,
        })
      ).ok,
    ).toBe(true);
    expect(await chats.postMessage(tenantId, 'no-such-chat', 'customer', 'x', 'hi')).toEqual({
      ok: false,
      refusal: 'chat-not-found',
    });
  });
});
