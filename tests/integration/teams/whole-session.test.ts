import { eventually } from '../../helpers/process';
import { cardOf, cardText, textOf, teamsTestApp } from './harness';

const teams = teamsTestApp();

describe('a whole session through the Teams bot', () => {
  it('customer chat → offer card → accept → messages both ways → end → outcome recorded', async () => {
    const { s, alex } = await teams.alexReady();

    // The customer writes from the website.
    const chat = await teams.caseyChat(s, 'Where is my order?');

    // The offer arrives as an Adaptive Card that rings, with everything the agent needs to decide.
    const [offer] = await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('New chat request'));
    expect(offer!.method).toBe('POST');
    expect(offer!.body).toMatchObject({ type: 'message', channelData: { notification: { alert: true } } });
    const offerText = cardText(offer!);
    for (const shown of ['Casey Customer', 'casey@example.com', 'Website', 'Service B', 'Where is my order?', 'Waited'])
      expect(offerText).toContain(shown);
    expect(cardOf(offer!)?.actions?.map((a) => a.title)).toEqual(['Accept', 'Decline']);

    // Accept: the card turns into the session card in place, with the agent's accept message.
    const accepted = await teams.press(s.tenantId, alex, offer!, 'offer.accept');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const sessionCard = JSON.stringify(accepted.body.value);
    expect(sessionCard).toContain('Chat in progress');
    expect(sessionCard).toContain('Greet the customer by name.');
    expect((accepted.body.value as { actions: { title: string }[] }).actions.map((a) => a.title)).toEqual([
      'Send my replies here',
      'End chat',
    ]);

    // The customer sees the agent under the name the system messages define (first name).
    const connectedChat = await eventually(async () => {
      const c = await teams.app.chats.get(s.tenantId, chat.chatId);
      return c?.agent ? c : undefined;
    });
    expect(connectedChat.agent).toEqual({ userId: alex.aadObjectId, displayName: 'Alex' });

    // Customer → agent, attributed to the customer; the first message is on the card, not repeated.
    expect(
      (await teams.customerPost(s, chat, 'messages', { text: 'Order 1234, <b>placed</b> on **Monday**' })).status,
    ).toBe(201);
    const [relayed] = await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).includes('Order 1234'));
    // HTML and markdown both escaped: the agent reads the asterisks, not bold.
    expect(textOf(relayed!)).toBe(
      '<b>Casey Customer</b> <i>(Website)</i><br>Order 1234, &lt;b&gt;placed&lt;/b&gt; on &#42;&#42;Monday&#42;&#42;',
    );
    expect(relayed!.body.textFormat).toBe('xml');
    expect(teams.connector.to(alex.conversationId).some((c) => textOf(c).includes('Where is my order?'))).toBe(false);

    // Agent → customer: with one session a plain reply goes to it, under the agent's customer-facing name.
    expect((await teams.say(s.tenantId, alex, 'Hi Casey, let me check that for you.')).status).toBe(200);
    const reply = await eventually(async () =>
      (await teams.app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).find(
        (e) => e.kind === 'message' && e.from === 'agent',
      ),
    );
    expect(reply).toMatchObject({
      kind: 'message',
      from: 'agent',
      authorName: 'Alex',
      text: 'Hi Casey, let me check that for you.',
    });

    // End from the card: the card shows the end with the agent's end message; the customer's chat ends.
    const ended = await teams.press(
      s.tenantId,
      alex,
      {
        ...offer!,
        body: {
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: accepted.body.value }],
        },
      },
      'session.end',
    );
    expect(ended.status).toBe(200);
    const endCard = JSON.stringify(ended.body.value);
    expect(endCard).toContain('Chat ended');
    expect(endCard).toContain('Tag the session if it needs follow-up.');
    expect((ended.body.value as { actions?: unknown[] }).actions).toBeUndefined();
    const task = (await teams.app.chats.get(s.tenantId, chat.chatId))!.task!;
    const report = await eventually(() => teams.app.store.repos.taskReports.find(s.tenantId, task.id, task.queue));
    expect(report).toMatchObject({
      outcome: 'accepted',
      acceptedByUserId: alex.aadObjectId,
      channel: 'interact',
      customer: { displayName: 'Casey Customer' },
    });
    await eventually(async () => (await teams.app.chats.get(s.tenantId, chat.chatId))?.state === 'ended');

    // Every connector call carried the conversation's path; the cards answered by their own buttons were
    // not updated a second time.
    await new Promise((r) => setTimeout(r, 300));
    expect(teams.connector.to(alex.conversationId).filter((c) => c.method === 'PUT')).toEqual([]);
  });
});
