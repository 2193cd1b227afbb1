import type { ChatEvent } from '../../../bot/src/core/model';
import { teamsScope } from '../../../bot/src/store';
import { eventually } from '../../helpers/process';
import {
  type Agent,
  type ConnectorCall,
  type Setup,
  activity,
  cardOf,
  cardText,
  textOf,
  varsOf,
  teamsTestApp,
} from './harness';

const teams = teamsTestApp();

type Chat = { chatId: string; token: string };
const agentMessages = async (s: Setup, chat: Chat): Promise<string[]> =>
  (await teams.app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).flatMap((e: ChatEvent) =>
    e.kind === 'message' && e.from === 'agent' ? [e.text] : [],
  );

/**
 * The agent uses Teams' "Reply" on a relayed message (`legacy`: an older client, with an HTML blockquote).
 * A person replies after the message is shown, by which time the bot has noted which chat it belongs to
 * (once the Bot Connector answered with its id); a test must wait for that as well.
 */
const quotedReply = async (
  s: Setup,
  alex: Agent,
  quoted: ConnectorCall,
  quotedPreview: string,
  text: string,
  client: 'current' | 'legacy' = 'current',
): Promise<Response> => {
  await eventually(async () =>
    (await teams.app.store.repos.teams.messageLinks.all(s.tenantId, teamsScope(alex.aadObjectId))).some(
      (l) => l.activityId === quoted.id,
    ),
  );
  return teams.postActivity(
    activity(client === 'legacy' ? 'message-quoted-reply-legacy' : 'message-quoted-reply', {
      ...varsOf(s.tenantId, alex),
      text,
      quotedMessageId: quoted.id,
      quotedPreview,
    }),
  );
};

/** One agent, Alex, with an accepted chat from each customer named (Alex takes up to `names.length`). */
async function sessionsWith(
  names: string[],
): Promise<{ s: Setup; alex: Agent; chats: { chat: Chat; card: ConnectorCall }[] }> {
  const s = await teams.setupTenant(['Alex Wilber']);
  const alex = s.agents[0]!;
  await teams.app.store.repos.services.update(s.tenantId, s.serviceId, (svc) => ({
    ...svc,
    distribution: {
      ...svc.distribution,
      maxConcurrentChatsPerUser: Math.max(svc.distribution.maxConcurrentChatsPerUser, names.length),
    },
  }));
  await teams.install(s.tenantId, alex);
  await teams.say(s.tenantId, alex, 'status available');
  const accept = async (customer: string): Promise<{ chat: Chat; card: ConnectorCall }> => {
    const chat = await teams.customerChat(s, {
      displayName: customer,
      email: `${customer.split(' ')[0]!.toLowerCase()}@example.com`,
      message: 'Hello',
    });
    const [card] = await teams.connector.waitFor(
      alex.conversationId,
      (c) => cardText(c).includes('New chat request') && cardText(c).includes(customer),
    );
    const answer = await teams.press(s.tenantId, alex, card!, 'offer.accept');
    expect(JSON.stringify(answer.body.value)).toContain('Chat in progress');
    return {
      chat,
      card: {
        ...card!,
        body: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: answer.body.value }] },
      },
    };
  };
  const chats = [];
  for (const name of names) chats.push(await accept(name));
  return { s, alex, chats };
}

/** One agent with two accepted chats: Casey's and Dana's. */
async function twoSessions() {
  const { s, alex, chats } = await sessionsWith(['Casey Customer', 'Dana Client']);
  const [casey, dana] = chats as [(typeof chats)[0], (typeof chats)[0]];
  return { s, alex, casey: casey.chat, dana: dana.chat, caseyCard: casey.card, danaCard: dana.card };
}

describe('relay across two concurrent sessions of one agent', () => {
  it('attributes each customer’s messages, and routes a quoted reply to the customer quoted', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await teams.customerPost(s, casey, 'messages', { text: 'My parcel is late' });
    await teams.customerPost(s, dana, 'messages', { text: 'I want to change my address' });
    const [fromCasey] = await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('My parcel is late'),
    );
    const [fromDana] = await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('change my address'),
    );
    expect(textOf(fromCasey!)).toMatch(/^<b>Casey Customer<\/b>/);
    expect(textOf(fromDana!)).toMatch(/^<b>Dana Client<\/b>/);

    // Teams "Reply" on Dana's message (quotedReply entity).
    const quoted = await quotedReply(s, alex, fromDana!, 'I want to change my address', 'Which address should we use?');
    expect(quoted.status).toBe(200);
    await eventually(async () => ((await agentMessages(s, dana)).length === 1 ? true : undefined));
    expect(await agentMessages(s, dana)).toEqual(['Which address should we use?']);

    // An older client quotes Casey's message with an HTML blockquote.
    const legacy = await quotedReply(s, alex, fromCasey!, 'My parcel is late', 'Let me track it.', 'legacy');
    expect(legacy.status).toBe(200);
    await eventually(async () => ((await agentMessages(s, casey)).length === 1 ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual(['Let me track it.']);
    expect(await agentMessages(s, dana)).toEqual(['Which address should we use?']);
  });

  it('asks instead of guessing when a plain message could be for either customer, and sends it where the agent says', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await teams.say(s.tenantId, alex, 'One moment please');
    const [question] = await teams.connector.waitFor(alex.conversationId, (c) =>
      cardText(c).includes('Which chat is this for?'),
    );
    expect(cardOf(question!)?.actions?.map((a) => a.title)).toEqual(['Send to Casey Customer', 'Send to Dana Client']);
    expect(await agentMessages(s, casey)).toEqual([]);
    expect(await agentMessages(s, dana)).toEqual([]);

    const answer = await teams.press(s.tenantId, alex, question!, 'session.send');
    expect(JSON.stringify(answer.body.value)).toContain('Sent to Casey Customer');
    expect(await agentMessages(s, casey)).toEqual(['One moment please']);
    expect(await agentMessages(s, dana)).toEqual([]);
  });

  it('with more open chats than a card has buttons for, asks with a list and sends to the chat chosen', async () => {
    const names = ['Casey', 'Dana', 'Erin', 'Finn', 'Gale', 'Hana', 'Ivo'].map((n) => `${n} Customer`);
    const { s, alex, chats } = await sessionsWith(names);
    await teams.say(s.tenantId, alex, 'One moment please');
    const [question] = await teams.connector.waitFor(alex.conversationId, (c) =>
      cardText(c).includes('Which chat is this for?'),
    );
    const card = cardOf(question!)!;
    // Teams shows at most six actions: one Send button, and the chats as one choice list.
    expect(card.actions?.map((a) => a.title)).toEqual(['Send']);
    const list = card.body.find((e) => e.type === 'Input.ChoiceSet') as
      { id: string; choices: { title: string; value: string }[] } | undefined;
    expect(list?.choices.map((c) => c.title.split(' · ')[0])).toEqual(names);

    const erin = chats[2]!.chat;
    const res = await teams.postActivity(
      activity('invoke-adaptive-card-action', {
        ...varsOf(s.tenantId, alex),
        cardActivityId: question!.id,
        verb: 'session.send',
        title: 'Send',
        data: { ...card.actions![0]!.data, [list!.id]: erin.chatId },
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(((await res.json()) as { value: unknown }).value)).toContain('Sent to Erin Customer');
    await eventually(async () => ((await agentMessages(s, erin)).length === 1 ? true : undefined));
    expect(await agentMessages(s, erin)).toEqual(['One moment please']);
    for (const other of chats.filter((c) => c.chat !== erin)) expect(await agentMessages(s, other.chat)).toEqual([]);
  });

  it('sends plain messages to the session in focus once the agent chose it on its card', async () => {
    const { s, alex, casey, dana, danaCard } = await twoSessions();
    const focus = await teams.press(s.tenantId, alex, danaCard, 'session.focus');
    expect(focus.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Your replies now go to Dana Client.',
    });
    await teams.say(s.tenantId, alex, 'Your address is updated.');
    await eventually(async () => ((await agentMessages(s, dana)).length === 1 ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual([]);
  });

  it('ends the quoted session with the end command, and refuses a quote of a chat that is over', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await teams.customerPost(s, casey, 'messages', { text: 'Thanks, bye' });
    const [fromCasey] = await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).includes('Thanks, bye'));
    await quotedReply(s, alex, fromCasey!, 'Thanks, bye', 'end');
    await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('The chat with <b>Casey Customer</b> has ended.'),
    );
    await eventually(async () => (await teams.app.chats.get(s.tenantId, casey.chatId))?.state === 'ended');
    expect((await teams.app.chats.get(s.tenantId, dana.chatId))?.state).toBe('open');

    // Casey's session card is updated in place to its end, with the agent's end message.
    const [ended] = await teams.connector.waitFor(
      alex.conversationId,
      (c) => c.method === 'PUT' && cardText(c).includes('Chat ended'),
    );
    expect(cardText(ended!)).toContain('Tag the session if it needs follow-up.');

    await quotedReply(s, alex, fromCasey!, 'Thanks, bye', 'Are you still there?');
    await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('has ended; your message was not sent'),
    );
    // With one session left, a plain message goes to it.
    await teams.say(s.tenantId, alex, 'Hello Dana');
    await eventually(async () => ((await agentMessages(s, dana)).includes('Hello Dana') ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual([]);
  });

  it('relays a note meant for the agent only (a channel could not deliver), never to the customer', async () => {
    const { s, alex, dana } = await twoSessions();
    await teams.app.chats.postAgentNote(s.tenantId, dana.chatId, 'This message could not be sent to WhatsApp.');
    const [note] = await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('could not be sent to WhatsApp'),
    );
    expect(textOf(note!)).toBe('<i>Note in the chat with Dana Client: This message could not be sent to WhatsApp.</i>');
  });

  it('tells the agent when the customer leaves', async () => {
    const { s, alex, casey, caseyCard } = await twoSessions();
    await teams.customerPost(s, casey, 'end', {});
    await teams.connector.waitFor(alex.conversationId, (c) => textOf(c) === '<b>Casey Customer</b> left the chat.');
    const [update] = await teams.connector.waitFor(
      alex.conversationId,
      (c) => c.method === 'PUT' && c.path.endsWith(`/activities/${caseyCard.id}`),
    );
    expect(cardText(update!)).toContain('Chat ended');
    expect(cardText(update!)).toContain('The customer has left.');
  });
});
