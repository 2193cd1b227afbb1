import nock from 'nock';
import pino from 'pino';
import type { App } from '../../../bot/src/app';
import { loadConfig } from '../../../bot/src/config';
import { selectability } from '../../../bot/src/core/routing';
import { createGraphClient } from '../../../bot/src/services/directory';
import { refOf, systemClock, type TaskRef } from '../../../bot/src/services/routing';
import { TeamsAppInstaller } from '../../../bot/src/services/teams-app';
import { teamsScope } from '../../../bot/src/store/partition-keys';
import { eventually } from '../../helpers/process';
import { type Agent, type Setup, activity, cardText, teamsTestApp, varsOf } from './harness';

/**
 * Offers go only to agents the bot can reach: an agent without the app installed (never, or removed)
 * is not selectable and so never in RONA; an offer card the Bot Connector refuses for good is withdrawn
 * at once and the task goes to the next agent; installing the app through Graph ends, once Teams
 * announces the installation, with the agent reachable and offered chats.
 */
const teams = teamsTestApp();

const LOGIN = 'https://login.microsoftonline.com';
const GRAPH = 'https://graph.microsoft.com';
const BOT_ID = '11111111-2222-4333-8444-555555555555';
const TOKEN = 'graph-token-for-the-app';
const CATALOG_APP_ID = 'b1c5353a-7aca-41b3-830f-27d5218fe0e5';

const offersTo = (agent: Agent) =>
  teams.connector.to(agent.conversationId).filter((c) => cardText(c).includes('New chat request'));
const stateOf = (s: Setup, agent: Agent) => teams.app.routing.agents.find(s.tenantId, agent.aadObjectId);

/** A queued task for the service (Direct: one offer at a time, longest idle first). */
async function queueTask(s: Setup, settings: Parameters<App['routing']['tasks']['enqueue']>[1] = {}) {
  const target = { kind: 'service' as const, serviceId: s.serviceId };
  const chat = await teams.app.chats.open({
    tenantId: s.tenantId,
    target,
    channel: 'interact',
    contactId: s.contactId,
    customer: { displayName: 'Casey Customer', email: 'casey@example.com', address: null },
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
  await teams.app.routing.idle();
  return refOf(task);
}

/** The task is queued, distribution has run, and nobody holds an offer for it. */
async function expectUnoffered(ref: TaskRef): Promise<void> {
  await teams.app.routing.idle();
  await teams.app.routing.distributor.kick(ref.tenantId, ref.queue);
  await teams.app.routing.idle();
  const task = await teams.app.routing.tasks.get(ref);
  expect(task?.state).toBe('queued');
  expect(task?.offers).toEqual([]);
}

async function whyNot(s: Setup, agent: Agent) {
  const [tenant, user, service, state] = await Promise.all([
    teams.app.store.repos.tenants.get(s.tenantId, s.tenantId),
    teams.app.store.repos.users.find(s.tenantId, agent.aadObjectId),
    teams.app.store.repos.services.get(s.tenantId, s.serviceId),
    stateOf(s, agent),
  ]);
  return selectability({ tenant, user, agent: state, service, now: Date.now() });
}

afterEach(() => nock.abortPendingRequests());

describe('offers reach only agents the bot can message', () => {
  it('never offers an agent who never installed the app, and never puts them in RONA', async () => {
    const s = await teams.setupTenant(['Adele Vance']);
    const adele = s.agents[0]!;
    // Available from the tab, but Teams never told the bot about an installation.
    await teams.app.routing.agents.setPresence(s.tenantId, adele.aadObjectId, 'available');
    const ref = await queueTask(s);
    await expectUnoffered(ref);
    expect(await stateOf(s, adele)).toMatchObject({ reachable: false, rona: null, slots: [] });
    expect(await whyNot(s, adele)).toMatchObject({ selectable: false, reason: 'app-not-installed' });
    expect(offersTo(adele)).toEqual([]);
    // Nothing was even attempted, so nothing failed.
    expect(await teams.app.store.repos.teams.deliveryFailures.all(s.tenantId, teamsScope(adele.aadObjectId))).toEqual(
      [],
    );
  });

  it('stops offering an agent who removed the app (installation-update-remove)', async () => {
    const { s, alex } = await teams.alexReady();
    expect(await stateOf(s, alex)).toMatchObject({ reachable: true });
    const res = await teams.postActivity(activity('installation-update-remove', varsOf(s.tenantId, alex)));
    expect(res.status).toBe(200);
    await eventually(async () => ((await stateOf(s, alex))?.reachable === false ? true : undefined));
    const before = offersTo(alex).length;
    const ref = await queueTask(s);
    await expectUnoffered(ref);
    expect(await stateOf(s, alex)).toMatchObject({ presence: 'available', reachable: false, rona: null, slots: [] });
    expect(offersTo(alex)).toHaveLength(before);
  });

  it('withdraws an offer the Bot Connector refuses (403) at once, without RONA; the next agent gets it', async () => {
    const s = await teams.setupTenant(['Alex Wilber', 'Adele Vance']);
    const [alex, adele] = s.agents as [Agent, Agent];
    await teams.ready(s.tenantId, alex);
    await teams.ready(s.tenantId, adele);
    // The bot was blocked or removed without Teams telling it: the connector refuses for good.
    teams.connector.script(alex.conversationId, [{ status: 403 }]);
    const ref = await queueTask(s, { type: 'direct', ringTimeoutSeconds: 600 });
    const [card] = await teams.connector.waitFor(adele.conversationId, (c) => cardText(c).includes('New chat request'));
    expect(cardText(card!)).toContain('Casey Customer');
    const task = await eventually(async () => {
      const t = await teams.app.routing.tasks.get(ref);
      return t?.offers.length === 2 ? t : undefined;
    });
    expect(task.offers.map((o) => [o.userId, o.state])).toEqual([
      [alex.aadObjectId, 'withdrawn'],
      [adele.aadObjectId, 'pending'],
    ]);
    const alexState = await stateOf(s, alex);
    expect(alexState).toMatchObject({ reachable: false, rona: null, slots: [] });
    expect(await teams.app.store.repos.teams.deliveryFailures.all(s.tenantId, teamsScope(alex.aadObjectId))).toEqual(
      expect.arrayContaining([expect.objectContaining({ what: 'offer-card', status: 403, attempts: 1 })]),
    );
  });

  it('installs the app through Graph; once Teams announces it the agent is reachable and offered', async () => {
    const s = await teams.setupTenant(['Megan Bowen']);
    const megan = s.agents[0]!;
    await teams.app.routing.agents.setPresence(s.tenantId, megan.aadObjectId, 'available');
    const config = loadConfig({ AUTH_MODE: 'botframework', BOT_ID, BOT_PASSWORD: 'secret', PORT: '0' });
    if (!config.ok) throw new Error('configuration refused');
    const installer = new TeamsAppInstaller({
      graph: createGraphClient({ config: config.value, clock: systemClock }),
      catalogAppId: CATALOG_APP_ID,
      agents: teams.app.routing.agents,
      clock: systemClock,
      log: pino({ level: 'silent' }),
    });
    const login = nock(LOGIN)
      .post(`/${s.tenantId}/oauth2/v2.0/token`)
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: TOKEN });
    const bodies: unknown[] = [];
    const graph = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post(`/v1.0/users/${megan.aadObjectId}/teamwork/installedApps`, (body: unknown) => {
        bodies.push(body);
        return true;
      })
      .reply(201, { id: 'installation-1' });

    expect(await installer.request(s.tenantId, megan.aadObjectId)).toEqual({ state: 'requested' });
    await installer.idle();
    expect(login.isDone()).toBe(true);
    expect(graph.isDone()).toBe(true);
    expect(bodies).toEqual([
      { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${CATALOG_APP_ID}` },
    ]);
    expect(await stateOf(s, megan)).toMatchObject({ reachable: false, appInstall: { state: 'pending' } });

    // Teams installs it and tells the bot: the conversation is stored, the agent can be reached.
    await teams.install(s.tenantId, megan);
    expect(await stateOf(s, megan)).toMatchObject({ reachable: true });
    await teams.caseyChat(s, 'Hello after the install');
    const [offer] = await teams.connector.waitFor(megan.conversationId, (c) =>
      cardText(c).includes('New chat request'),
    );
    expect(cardText(offer!)).toContain('Casey Customer');
    // Reachable now: asking again installs nothing.
    expect(await installer.request(s.tenantId, megan.aadObjectId)).toEqual({ state: 'installed' });
  });
});
