import type { App } from '../../../bot/src/app';
import { refOf } from '../../../bot/src/services/routing';
import { eventually } from '../../helpers/process';
import {
  type Agent,
  type ConnectorCall,
  type Setup,
  activity,
  cardOf,
  cardText,
  textOf,
  teamsTestApp,
  varsOf,
} from './harness';

const teams = teamsTestApp();

/** A chat queued for the service as a Queue Task with distribution "pickup" puts it. */
async function queuePickup(s: Setup, customer = 'Casey Customer', firstMessage = 'My parcel is late') {
  const app: App = teams.app;
  const target = { kind: 'service' as const, serviceId: s.serviceId };
  const chat = await app.chats.open({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    contactId: s.contactId,
    customer: { displayName: customer, email: 'casey@example.com', address: null },
  });
  const task = await app.routing.tasks.create({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    chatId: chat.id,
    customer: chat.customer,
    firstMessage,
  });
  await app.chats.update(s.tenantId, chat.id, (c) => ({ ...c, task: { id: task.id, queue: refOf(task).queue } }));
  await app.routing.tasks.startWorkflow(refOf(task));
  await app.routing.tasks.enqueue(refOf(task), { type: 'pickup' });
  await app.routing.idle();
  return { chatId: chat.id, ref: refOf(task) };
}

/** The agent sends "pickup" and gets the card of what waits. */
async function pickupCardOf(s: Setup, agent: Agent, heading: string): Promise<ConnectorCall> {
  await teams.say(s.tenantId, agent, 'pickup');
  const cards = await teams.connector.waitFor(agent.conversationId, (c) => cardText(c).includes(heading));
  return cards[cards.length - 1]!;
}

describe('the pickup command in Teams', () => {
  it('lists the waiting chat with a Claim button; the first claim connects it, the second is told someone else took it', async () => {
    const s = await teams.setupTenant(['Alex Wilber', 'Megan Bowen']);
    const [alex, megan] = s.agents as [Agent, Agent];
    await teams.ready(s.tenantId, alex);
    await teams.ready(s.tenantId, megan);
    const { chatId, ref } = await queuePickup(s);
    // Pickup makes no offers.
    expect(teams.connector.to(alex.conversationId).some((c) => cardText(c).includes('New chat request'))).toBe(false);

    const alexCard = await pickupCardOf(s, alex, 'Waiting for pickup (1)');
    const meganCard = await pickupCardOf(s, megan, 'Waiting for pickup (1)');
    expect(cardText(alexCard)).toContain('Casey Customer');
    expect(cardText(alexCard)).toContain('My parcel is late');
    expect(cardOf(alexCard)?.actions).toEqual([
      expect.objectContaining({
        title: 'Claim Casey Customer',
        verb: 'pickup.claim',
        data: { queue: ref.queue, taskId: ref.taskId },
      }),
    ]);

    const claimed = await teams.press(s.tenantId, alex, alexCard, 'pickup.claim');
    expect(claimed.status).toBe(200);
    expect(JSON.stringify(claimed.body.value)).toContain('You took the chat with ');
    expect(JSON.stringify(claimed.body.value)).toContain('No chats waiting for pickup');
    expect(await teams.app.routing.tasks.get(ref)).toMatchObject({
      state: 'connected',
      assignedUserId: alex.aadObjectId,
    });

    // The same connect path as an accepted offer: a session card, and the customer's messages relayed.
    await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('Chat in progress'));
    await teams.app.chats.postMessage(s.tenantId, chatId, 'customer', 'Casey Customer', 'Are you there?');
    await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).includes('Are you there?'));

    const late = await teams.press(s.tenantId, megan, meganCard, 'pickup.claim');
    expect(late.status).toBe(200);
    expect(JSON.stringify(late.body.value)).toContain('Someone else already took this chat.');
    expect(await teams.app.routing.tasks.get(ref)).toMatchObject({ assignedUserId: alex.aadObjectId });
    expect((await teams.app.routing.agents.find(s.tenantId, megan.aadObjectId))?.slots).toEqual([]);
  });

  it('with more waiting chats than a card shows buttons, the agent chooses one from a list', async () => {
    const { s, alex } = await teams.alexReady();
    const queued = [];
    for (let i = 1; i <= 7; i++) queued.push(await queuePickup(s, `Customer ${i}`, `Question ${i}`));

    const list = await pickupCardOf(s, alex, 'Waiting for pickup (7)');
    const card = cardOf(list)!;
    expect(card.actions?.map((a) => a.title)).toEqual(['Claim']);
    const choices = card.body.find((e) => e.type === 'Input.ChoiceSet') as
      { id: string; choices: { title: string; value: string }[] } | undefined;
    expect(choices?.choices.map((c) => c.title.split(' · ')[0])).toEqual(
      Array.from({ length: 7 }, (_, i) => `Customer ${i + 1}`),
    );

    const third = queued[2]!;
    const res = await teams.postActivity(
      activity('invoke-adaptive-card-action', {
        ...varsOf(s.tenantId, alex),
        cardActivityId: list.id,
        verb: 'pickup.claim',
        title: 'Claim',
        data: { [choices!.id]: choices!.choices[2]!.value },
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(((await res.json()) as { value: unknown }).value)).toContain('Customer 3');
    await eventually(async () =>
      (await teams.app.routing.tasks.get(third.ref))?.assignedUserId === alex.aadObjectId ? true : undefined,
    );
    expect((await teams.app.routing.tasks.get(queued[0]!.ref))?.state).toBe('queued');
  });
});
