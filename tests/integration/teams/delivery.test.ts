import { type LaneSleep, abortableSleep } from '../../../bot/src/services/delivery';
import { teamsScope } from '../../../bot/src/store/partition-keys';
import { eventually } from '../../helpers/process';
import { type Agent, type Setup, cardText, textOf, teamsTestApp } from './harness';

/** The test drives the retry backoffs: they end at once. Waits for room in Teams' windows stay real (measured below). */
const backoffAtOnce: LaneSleep = (ms, signal, why) =>
  why === 'backoff' ? Promise.resolve() : abortableSleep(ms, signal);

const teams = teamsTestApp({ delivery: { sleep: backoffAtOnce } });

/** An agent in a session with Casey, the connector quiet. */
async function session(): Promise<{ s: Setup; alex: Agent; chat: { chatId: string; token: string } }> {
  const s = await teams.setupTenant(['Alex Wilber']);
  const alex = s.agents[0]!;
  await teams.install(s.tenantId, alex);
  await teams.say(s.tenantId, alex, 'status available');
  const chat = await teams.caseyChat(s, 'Hello');
  const [offer] = await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('New chat request'));
  await teams.press(s.tenantId, alex, offer!, 'offer.accept');
  return { s, alex, chat };
}

const relayedTexts = (alex: Agent, prefix: string) =>
  teams.connector
    .to(alex.conversationId)
    .map(textOf)
    .filter((t) => t.includes(prefix))
    .map((t) => t.slice(t.lastIndexOf('<br>') + 4));

/** The calls to the agent's conversation that the connector refused, as `method` names them. */
const refused = (alex: Agent, method: string) =>
  teams.connector.to(alex.conversationId, true).filter((c) => c.method.includes(method));

describe('outbound delivery to Teams', () => {
  it('a connector answering 429 then 200 still delivers every message once, in order', async () => {
    const { s, alex, chat } = await session();
    teams.connector.script(alex.conversationId, [{ status: 429, headers: { 'Retry-After': '0' } }, { status: 429 }]);
    const sent = ['first', 'second', 'third', 'fourth', 'fifth'].map((w) => `throttled ${w}`);
    for (const text of sent) expect((await teams.customerPost(s, chat, 'messages', { text })).status).toBe(201);
    await eventually(() => (relayedTexts(alex, 'throttled').length >= sent.length ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(relayedTexts(alex, 'throttled')).toEqual(sent);
    // The refused attempts happened and were retried.
    expect(refused(alex, 'refused 429')).toHaveLength(2);
  });

  it('retries server errors with backoff', async () => {
    const { s, alex, chat } = await session();
    teams.connector.script(alex.conversationId, [{ status: 503 }, { status: 502 }]);
    await teams.customerPost(s, chat, 'messages', { text: 'after outage' });
    await eventually(() => (relayedTexts(alex, 'after outage').length === 1 ? true : undefined));
    expect(refused(alex, 'refused')).toHaveLength(2);
  });

  it('stays within Teams’ limits of one conversation (7 per second)', async () => {
    const { s, alex, chat } = await session();
    const texts = Array.from({ length: 12 }, (_, i) => `burst ${i + 1}`);
    await Promise.all(texts.map((text) => teams.customerPost(s, chat, 'messages', { text })));
    await eventually(() => (relayedTexts(alex, 'burst').length === texts.length ? true : undefined));
    const times = teams.connector
      .to(alex.conversationId)
      .filter((c) => textOf(c).includes('burst'))
      .map((c) => c.at);
    for (const t of times) expect(times.filter((u) => u > t - 950 && u <= t).length).toBeLessThanOrEqual(7);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(900);
  });

  it('records a message that cannot be delivered and shows it to the agent', async () => {
    const { s, alex, chat } = await session();
    teams.connector.script(alex.conversationId, [{ status: 403 }]);
    await teams.customerPost(s, chat, 'messages', { text: 'this one is refused' });
    const [notice] = await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).startsWith('A message could not be delivered to you'),
    );
    expect(textOf(notice!)).toContain('this one is refused');
    const failures = await teams.app.store.repos.teams.deliveryFailures.all(s.tenantId, teamsScope(alex.aadObjectId));
    expect(failures).toEqual([
      expect.objectContaining({
        what: 'customer-message',
        status: 403,
        attempts: 1,
        chatId: chat.chatId,
        preview: 'this one is refused',
      }),
    ]);
    await teams.say(s.tenantId, alex, 'sessions');
    const [overview] = await teams.connector.waitFor(alex.conversationId, (c) =>
      cardText(c).includes('Not delivered to you'),
    );
    expect(cardText(overview!)).toContain('this one is refused');
    expect(cardText(overview!)).toContain('Casey Customer');
  });

  it('splits an agent message longer than a chat message into several, in order', async () => {
    const { s, alex, chat } = await session();
    const long = `${'a'.repeat(3000)} ${'b'.repeat(3000)}`;
    await teams.say(s.tenantId, alex, long);
    const parts = await eventually(async () => {
      const events = (await teams.app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).filter(
        (e) => e.kind === 'message' && e.from === 'agent',
      );
      return events.length === 2 ? events : undefined;
    });
    expect(parts.map((e) => (e.kind === 'message' ? e.text : ''))).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
  });
});
