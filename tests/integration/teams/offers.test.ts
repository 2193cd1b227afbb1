import type { App } from '../../../bot/src/app';
import { ManualClock, refOf } from '../../../bot/src/services/routing';
import { cardTexts } from '../../helpers/markdown';
import { eventually } from '../../helpers/process';
import { type Agent, type ConnectorCall, type Setup, cardOf, cardText, textOf, teamsTestApp } from './harness';

// Product timeouts (the ring timeout) pass when a test moves this clock, not by waiting for them.
const clock = new ManualClock(Date.now());
const teams = teamsTestApp({ clock });

const offerOf = (agent: Agent) => teams.offerOf(agent);
const updatesOf = (agent: Agent, card: ConnectorCall) => teams.updatesOf(agent, card);

/** A queued task for the service, as a workflow's Queue Task would put it (here: Broadcast, or a short ring). */
async function queueTask(
  s: Setup,
  settings: Parameters<App['routing']['tasks']['enqueue']>[1],
  customer = 'Casey Customer',
) {
  const target = { kind: 'service' as const, serviceId: s.serviceId };
  const chat = await teams.app.chats.open({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    contactId: s.contactId,
    customer: { displayName: customer, email: 'casey@example.com', address: null },
  });
  const task = await teams.app.routing.tasks.create({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    chatId: chat.id,
    customer: chat.customer,
    firstMessage: 'Hi',
  });
  await teams.app.chats.update(s.tenantId, chat.id, (c) => ({ ...c, task: { id: task.id, queue: refOf(task).queue } }));
  await teams.app.routing.tasks.startWorkflow(refOf(task));
  await teams.app.routing.tasks.enqueue(refOf(task), settings);
  return { chat, ref: refOf(task) };
}

/** A direct contact of one agent (no service): offered to them only, missed when they do not take it. */
async function directTask(s: Setup, agent: Agent, settings: Parameters<App['routing']['tasks']['enqueue']>[1] = {}) {
  const target = { kind: 'user' as const, userId: agent.aadObjectId };
  const task = await teams.app.routing.tasks.create({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    chatId: `chat-direct-${Math.random().toString(36).slice(2)}`,
    customer: { displayName: 'Dana Direct', email: 'dana@example.com', address: null },
    firstMessage: 'Hi',
  });
  await teams.app.routing.tasks.enqueue(refOf(task), settings);
  return refOf(task);
}

/** The service's users go into RONA after a decline too. */
const persistentRona = (s: Setup) =>
  teams.app.store.repos.services.update(s.tenantId, s.serviceId, (svc) => ({
    ...svc,
    distribution: { ...svc.distribution, persistentRona: true },
  }));

describe('offer cards', () => {
  it('declining turns the card into “declined”; the agent is not paused and gets the next chat', async () => {
    const { s, alex } = await teams.alexReady();
    await teams.caseyChat(s, 'Hello');
    const offer = await offerOf(alex);
    const declined = await teams.press(s.tenantId, alex, offer, 'offer.decline');
    expect(JSON.stringify(declined.body.value)).toContain('You declined this chat request.');
    expect((await teams.app.routing.agents.find(s.tenantId, alex.aadObjectId))?.rona).toBeNull();
    await teams.customerChat(s, { displayName: 'Robin Next', email: 'robin@example.com', message: 'Hi' });
    const next = await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('Robin Next'));
    expect(cardText(next[0]!)).toContain('New chat request');
  });

  it('with persistent RONA, declining turns the card into “declined” and pauses the agent (RONA) until they reset it', async () => {
    const { s, alex } = await teams.alexReady();
    await persistentRona(s);
    await teams.caseyChat(s, 'Hello');
    const offer = await offerOf(alex);
    const declined = await teams.press(s.tenantId, alex, offer, 'offer.decline');
    expect(JSON.stringify(declined.body.value)).toContain('You declined this chat request.');
    expect((declined.body.value as { actions?: unknown }).actions).toBeUndefined();
    expect((await teams.app.routing.agents.find(s.tenantId, alex.aadObjectId))?.rona).toMatchObject({
      reason: 'declined',
    });
    await teams.say(s.tenantId, alex, 'reset rona');
    await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).includes('you receive chat requests again'));
    expect((await teams.app.routing.agents.find(s.tenantId, alex.aadObjectId))?.rona).toBeNull();
  });

  it('in Broadcast, the other agents’ cards show the chat was taken, and a late Accept changes nothing', async () => {
    const s = await teams.setupTenant(['Alex Wilber', 'Megan Bowen']);
    const [alex, megan] = s.agents as [Agent, Agent];
    await teams.ready(s.tenantId, alex);
    await teams.ready(s.tenantId, megan);
    const { ref } = await queueTask(s, { type: 'broadcast', broadcastSize: 2 });
    const [alexOffer, meganOffer] = await Promise.all([offerOf(alex), offerOf(megan)]);

    const accepted = await teams.press(s.tenantId, alex, alexOffer, 'offer.accept');
    expect(JSON.stringify(accepted.body.value)).toContain('Chat in progress');

    // Megan's card is updated in place (PUT on its activity id), without buttons.
    const [update] = await eventually(() =>
      updatesOf(megan, meganOffer).length > 0 ? updatesOf(megan, meganOffer) : undefined,
    );
    expect(update!.body).toMatchObject({ id: meganOffer.id, type: 'message' });
    expect(cardText(update!)).toContain('Another agent accepted this chat.');
    expect(cardOf(update!)?.actions).toBeUndefined();

    // A press on the stale card (Teams had not redrawn it yet) answers with the current state.
    const late = await teams.press(s.tenantId, megan, meganOffer, 'offer.accept');
    expect(JSON.stringify(late.body.value)).toContain('Another agent accepted this chat.');
    expect((await teams.app.routing.tasks.get(ref))?.assignedUserId).toBe(alex.aadObjectId);
    // Alex's own card was answered by his button and is not updated again.
    expect(updatesOf(alex, alexOffer)).toEqual([]);
  });

  it('shows that the customer left while the card was ringing', async () => {
    const { s, alex } = await teams.alexReady();
    const chat = await teams.caseyChat(s, 'Hello');
    const offer = await offerOf(alex);
    await teams.customerPost(s, chat, 'end', {});
    const [update] = await eventually(() => (updatesOf(alex, offer).length > 0 ? updatesOf(alex, offer) : undefined));
    expect(cardText(update!)).toContain('The customer left before the chat was accepted.');
    expect(cardOf(update!)?.actions).toBeUndefined();
  });

  it('turns a card that rang out into “not answered”, saying how long it rang', async () => {
    const { s, alex } = await teams.alexReady();
    await queueTask(s, { ringTimeoutSeconds: 30 });
    const offer = await offerOf(alex);
    expect(updatesOf(alex, offer)).toEqual([]);
    clock.advance(31_000);
    const [update] = await eventually(() => (updatesOf(alex, offer).length > 0 ? updatesOf(alex, offer) : undefined));
    expect(cardText(update!)).toContain('not answered in time');
    const { markdown, literal } = cardTexts(cardOf(update!));
    expect(markdown).toContain('Rang');
    expect(literal).toContain('31 s');
    expect(cardOf(update!)?.actions).toBeUndefined();
    expect((await teams.app.routing.agents.find(s.tenantId, alex.aadObjectId))?.rona).toMatchObject({
      reason: 'no-answer',
    });
  });

  it('a declined direct contact shows “Declined”, not “No longer available”', async () => {
    const { s, alex } = await teams.alexReady();
    const ref = await directTask(s, alex);
    const offer = (await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('Dana Direct')))[0]!;
    const declined = await teams.press(s.tenantId, alex, offer, 'offer.decline');
    const text = JSON.stringify(declined.body.value);
    expect(text).toContain('Declined');
    expect(text).toContain('You declined this chat request.');
    expect(text).not.toContain('No longer available');
    // The direct contact had nobody else to go to: it is over, as missed.
    expect(await teams.app.routing.tasks.get(ref)).toBeUndefined();
  });

  it('going Offline withdraws the offers still ringing, and no RONA', async () => {
    const { s, alex } = await teams.alexReady();
    const { ref } = await queueTask(s, { ringTimeoutSeconds: 120 });
    const offer = await offerOf(alex);
    await teams.say(s.tenantId, alex, 'status offline');
    await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).includes('<b>Offline</b>'));
    const task = await teams.app.routing.tasks.get(ref);
    expect(task?.offers).toMatchObject([{ userId: alex.aadObjectId, state: 'withdrawn' }]);
    expect(task?.state).toBe('queued');
    const agent = await teams.app.routing.agents.find(s.tenantId, alex.aadObjectId);
    expect(agent?.slots).toEqual([]);
    expect(agent?.rona).toBeNull();
    const [update] = await eventually(() => (updatesOf(alex, offer).length > 0 ? updatesOf(alex, offer) : undefined));
    expect(cardOf(update!)?.actions).toBeUndefined();
  });
});
