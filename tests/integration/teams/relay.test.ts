import type { App } from '../../../bot/src/app';
import type { ChatEvent } from '../../../bot/src/core/model';
import { eventually } from '../../helpers/process';
import {
  type Agent,
  type ConnectorCall,
  type FakeConnector,
  type Setup,
  activity,
  cardOf,
  cardText,
  customerChat,
  customerPost,
  install,
  postActivity,
  press,
  say,
  setupTenant,
  textOf,
  varsOf,
  teamsTestApp,
} from './harness';

const world = teamsTestApp();
let app: App;
let connector: FakeConnector;
beforeAll(() => {
  ({ app, connector } = world);
});

type Chat = { chatId: string; token: string };
const agentMessages = async (s: Setup, chat: Chat): Promise<string[]> =>
  (await app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).flatMap((e: ChatEvent) =>
    e.kind === 'message' && e.from === 'agent' ? [e.text] : [],
  );

/** One agent with two accepted chats: Casey's and Dana's. */
async function twoSessions(): Promise<{
  s: Setup;
  alex: Agent;
  casey: Chat;
  dana: Chat;
  caseyCard: ConnectorCall;
  danaCard: ConnectorCall;
}> {
  const s = await setupTenant(app, ['Alex Wilber']);
  const alex = s.agents[0]!;
  await install(app, connector, s.tenantId, alex);
  await say(app, s.tenantId, alex, 'status available');
  const accept = async (customer: string): Promise<{ chat: Chat; card: ConnectorCall }> => {
    const chat = await customerChat(app, s, {
      displayName: customer,
      email: `${customer.split(' ')[0]!.toLowerCase()}@example.com`,
      message: 'Hello',
    });
    const [card] = await connector.waitFor(
      alex.conversationId,
      (c) => cardText(c).includes('New chat request') && cardText(c).includes(customer),
    );
    const answer = await press(app, s.tenantId, alex, card!, 'offer.accept');
    expect(JSON.stringify(answer.body.value)).toContain('Chat in progress');
    return {
      chat,
      card: {
        ...card!,
        body: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: answer.body.value }] },
      },
    };
  };
  const casey = await accept('Casey Customer');
  const dana = await accept('Dana Client');
  return { s, alex, casey: casey.chat, dana: dana.chat, caseyCard: casey.card, danaCard: dana.card };
}

describe('relay across two concurrent sessions of one agent', () => {
  it('attributes each customer’s messages, and routes a quoted reply to the customer quoted', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await customerPost(app, s, casey, 'messages', { text: 'My parcel is late' });
    await customerPost(app, s, dana, 'messages', { text: 'I want to change my address' });
    const [fromCasey] = await connector.waitFor(alex.conversationId, (c) => textOf(c).includes('My parcel is late'));
    const [fromDana] = await connector.waitFor(alex.conversationId, (c) => textOf(c).includes('change my address'));
    expect(textOf(fromCasey!)).toMatch(/^<b>Casey Customer<\/b>/);
    expect(textOf(fromDana!)).toMatch(/^<b>Dana Client<\/b>/);

    // Teams "Reply" on Dana's message (quotedReply entity).
    const quoted = activity('message-quoted-reply', {
      ...varsOf(s.tenantId, alex),
      text: 'Which address should we use?',
      quotedMessageId: fromDana!.id,
      quotedPreview: 'I want to change my address',
    });
    expect((await postActivity(app, quoted)).status).toBe(200);
    await eventually(async () => ((await agentMessages(s, dana)).length === 1 ? true : undefined));
    expect(await agentMessages(s, dana)).toEqual(['Which address should we use?']);

    // An older client quotes Casey's message with an HTML blockquote.
    const legacy = activity('message-quoted-reply-legacy', {
      ...varsOf(s.tenantId, alex),
      text: 'Let me track it.',
      quotedMessageId: fromCasey!.id,
      quotedPreview: 'My parcel is late',
    });
    expect((await postActivity(app, legacy)).status).toBe(200);
    await eventually(async () => ((await agentMessages(s, casey)).length === 1 ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual(['Let me track it.']);
    expect(await agentMessages(s, dana)).toEqual(['Which address should we use?']);
  });

  it('asks instead of guessing when a plain message could be for either customer, and sends it where the agent says', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await say(app, s.tenantId, alex, 'One moment please');
    const [question] = await connector.waitFor(alex.conversationId, (c) =>
      cardText(c).includes('Which chat is this for?'),
    );
    expect(cardOf(question!)?.actions?.map((a) => a.title)).toEqual(['Send to Casey Customer', 'Send to Dana Client']);
    expect(await agentMessages(s, casey)).toEqual([]);
    expect(await agentMessages(s, dana)).toEqual([]);

    const answer = await press(app, s.tenantId, alex, question!, 'session.send');
    expect(JSON.stringify(answer.body.value)).toContain('Sent to Casey Customer');
    expect(await agentMessages(s, casey)).toEqual(['One moment please']);
    expect(await agentMessages(s, dana)).toEqual([]);
  });

  it('sends plain messages to the session in focus once the agent chose it on its card', async () => {
    const { s, alex, casey, dana, danaCard } = await twoSessions();
    const focus = await press(app, s.tenantId, alex, danaCard, 'session.focus');
    expect(focus.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Your replies now go to Dana Client.',
    });
    await say(app, s.tenantId, alex, 'Your address is updated.');
    await eventually(async () => ((await agentMessages(s, dana)).length === 1 ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual([]);
  });

  it('ends the quoted session with the end command, and refuses a quote of a chat that is over', async () => {
    const { s, alex, casey, dana } = await twoSessions();
    await customerPost(app, s, casey, 'messages', { text: 'Thanks, bye' });
    const [fromCasey] = await connector.waitFor(alex.conversationId, (c) => textOf(c).includes('Thanks, bye'));
    const endQuoted = activity('message-quoted-reply', {
      ...varsOf(s.tenantId, alex),
      text: 'end',
      quotedMessageId: fromCasey!.id,
      quotedPreview: 'Thanks, bye',
    });
    await postActivity(app, endQuoted);
    await connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('The chat with <b>Casey Customer</b> has ended.'),
    );
    await eventually(async () => (await app.chats.get(s.tenantId, casey.chatId))?.state === 'ended');
    expect((await app.chats.get(s.tenantId, dana.chatId))?.state).toBe('open');

    // Casey's session card is updated in place to its end, with the agent's end message.
    const [ended] = await connector.waitFor(
      alex.conversationId,
      (c) => c.method === 'PUT' && cardText(c).includes('Chat ended'),
    );
    expect(cardText(ended!)).toContain('Tag the session if it needs follow-up.');

    const late = activity('message-quoted-reply', {
      ...varsOf(s.tenantId, alex),
      text: 'Are you still there?',
      quotedMessageId: fromCasey!.id,
      quotedPreview: 'Thanks, bye',
    });
    await postActivity(app, late);
    await connector.waitFor(alex.conversationId, (c) => textOf(c).includes('has ended; your message was not sent'));
    // With one session left, a plain message goes to it.
    await say(app, s.tenantId, alex, 'Hello Dana');
    await eventually(async () => ((await agentMessages(s, dana)).includes('Hello Dana') ? true : undefined));
    expect(await agentMessages(s, casey)).toEqual([]);
  });

  it('relays a note meant for the agent only (a channel could not deliver), never to the customer', async () => {
    const { s, alex, dana } = await twoSessions();
    await app.chats.postAgentNote(s.tenantId, dana.chatId, 'This message could not be sent to WhatsApp.');
    const [note] = await connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('could not be sent to WhatsApp'),
    );
    expect(textOf(note!)).toBe('<i>Note in the chat with Dana Client: This message could not be sent to WhatsApp.</i>');
  });

  it('tells the agent when the customer leaves', async () => {
    const { s, alex, casey, caseyCard } = await twoSessions();
    await customerPost(app, s, casey, 'end', {});
    await connector.waitFor(alex.conversationId, (c) => textOf(c) === '<b>Casey Customer</b> left the chat.');
    const [update] = await connector.waitFor(
      alex.conversationId,
      (c) => c.method === 'PUT' && c.path.endsWith(`/activities/${caseyCard.id}`),
    );
    expect(cardText(update!)).toContain('Chat ended');
  });
});
