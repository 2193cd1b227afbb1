import type { App } from '../../../bot/src/app';
import { partitionKey, teamsScope } from '../../../bot/src/store/partition-keys';
import { startTestApp } from '../../helpers/app';
import { eventually } from '../../helpers/process';
import { newTenantId } from '../../helpers/store';
import {
  FakeConnector,
  SERVICE_URL,
  activity,
  install,
  isolateNetwork,
  newAgent,
  postActivity,
  say,
  setupTenant,
  textOf,
  varsOf,
} from './harness';

let app: App;
let connector: FakeConnector;
beforeAll(async () => {
  isolateNetwork();
  app = await startTestApp({ DEMO_TENANT: 'false' });
  connector = new FakeConnector();
});
afterAll(async () => {
  connector.done();
  await app.close();
});

const stored = (tenantId: string, userId: string) =>
  app.store.cosmos.containers.routing.item('conversation', partitionKey(tenantId, teamsScope(userId))).read();

describe('installing the app', () => {
  it('stores the agent’s conversation reference, keyed by tenant and aadObjectId, and greets them once', async () => {
    const s = await setupTenant(app, ['Alex Wilber']);
    const [alex] = s.agents;
    const res = await postActivity(app, activity('installation-update-add', varsOf(s.tenantId, alex!)));
    expect(res.status).toBe(200);
    // Teams announces the installation twice; the second announcement changes nothing.
    expect(
      (await postActivity(app, activity('conversation-update-members-added', varsOf(s.tenantId, alex!)))).status,
    ).toBe(200);

    const [welcome] = await connector.waitFor(alex!.conversationId, (c) => textOf(c).startsWith('Welcome'));
    expect(welcome).toMatchObject({
      method: 'POST',
      path: `/emea/v3/conversations/${encodeURIComponent(alex!.conversationId)}/activities`,
      authorization: undefined,
      body: { type: 'message', recipient: { id: alex!.agentAccountId }, conversation: { id: alex!.conversationId } },
    });
    expect(textOf(welcome!)).toContain('Welcome, Alex Wilber');
    const { resource } = await stored(s.tenantId, alex!.aadObjectId);
    expect(resource).toMatchObject({
      type: 'teamsConversation',
      tenantId: s.tenantId,
      userId: alex!.aadObjectId,
      serviceUrl: SERVICE_URL,
      conversationId: alex!.conversationId,
      agentAccountId: alex!.agentAccountId,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.to(alex!.conversationId)).toHaveLength(1);
  });

  it('removes the conversation reference when the app is uninstalled', async () => {
    const s = await setupTenant(app, ['Megan Bowen']);
    const [megan] = s.agents;
    await install(app, connector, s.tenantId, megan!);
    expect((await postActivity(app, activity('installation-update-remove', varsOf(s.tenantId, megan!)))).status).toBe(
      200,
    );
    await eventually(async () => (await stored(s.tenantId, megan!.aadObjectId)).statusCode === 404);
  });

  it('tells a Teams user whose organization is not set up who sets it up, and stores nothing', async () => {
    const stranger = newAgent('Pat Stranger');
    const tenantId = newTenantId();
    await postActivity(app, activity('installation-update-add', varsOf(tenantId, stranger)));
    const [answer] = await connector.waitFor(stranger.conversationId, () => true);
    expect(textOf(answer!)).toContain('Your organization has not been set up for this app yet');
    expect(textOf(answer!)).toContain('Admin tab');
    expect((await stored(tenantId, stranger.aadObjectId)).statusCode).toBe(404);
    expect(await app.store.repos.users.find(tenantId, stranger.aadObjectId)).toBeUndefined();
  });

  it('makes a person of a set-up organization a user on installing, without licenses, and says what is missing', async () => {
    const s = await setupTenant(app, []);
    const pat = newAgent('Pat Newcomer');
    await postActivity(app, activity('installation-update-add', varsOf(s.tenantId, pat)));
    const [answer] = await connector.waitFor(pat.conversationId, () => true);
    expect(textOf(answer!)).toContain('you do not hold the Instant Messaging license');
    // Teams' installation event carries no name: the id stands in until the first message names them.
    expect(await app.store.repos.users.find(s.tenantId, pat.aadObjectId)).toMatchObject({
      displayName: pat.aadObjectId,
      active: true,
      email: null,
    });
    const tenant = await app.store.repos.tenants.get(s.tenantId, s.tenantId);
    expect(tenant.licenses.imModality.assignees).not.toContain(pat.aadObjectId);
    // Installing again changes nothing and says nothing twice.
    await postActivity(app, activity('conversation-update-members-added', varsOf(s.tenantId, pat)));
    expect((await connector.waitFor(pat.conversationId, () => true)).length).toBe(1);
    await say(app, s.tenantId, pat, 'hello');
    await connector.waitFor(pat.conversationId, (c) => textOf(c).includes('Instant Messaging license'), 2);
    expect((await app.store.repos.users.get(s.tenantId, pat.aadObjectId)).displayName).toBe('Pat Newcomer');
  });

  it('tells a known user without the Instant Messaging license why they get no chats', async () => {
    const s = await setupTenant(app, ['Lee Unlicensed'], { licensed: false });
    const [lee] = s.agents;
    await say(app, s.tenantId, lee!, 'status available');
    const [answer] = await connector.waitFor(lee!.conversationId, () => true);
    expect(textOf(answer!)).toContain('Instant Messaging license');
    // The bot can reach Lee now (that is all the routing state holds), but the status command did nothing.
    const state = await app.routing.agents.find(s.tenantId, lee!.aadObjectId);
    expect(state?.presence ?? 'offline').toBe('offline');
    expect(state?.slots ?? []).toEqual([]);
  });

  it('answers the agent commands of the manifest', async () => {
    const s = await setupTenant(app, ['Nestor Wilke']);
    const [nestor] = s.agents;
    await install(app, connector, s.tenantId, nestor!);
    await say(app, s.tenantId, nestor!, 'status available');
    await connector.waitFor(nestor!.conversationId, (c) => textOf(c).includes('Your status is now <b>Available</b>'));
    expect((await app.routing.agents.find(s.tenantId, nestor!.aadObjectId))?.presence).toBe('available');
    await say(app, s.tenantId, nestor!, 'Status Away');
    await connector.waitFor(nestor!.conversationId, (c) => textOf(c).includes('<b>Away</b>'));
    await say(app, s.tenantId, nestor!, 'reset rona');
    await connector.waitFor(nestor!.conversationId, (c) => textOf(c).includes('nothing to reset'));
    await say(app, s.tenantId, nestor!, 'help');
    await connector.waitFor(nestor!.conversationId, (c) => textOf(c).includes('What I can do'));
    await say(app, s.tenantId, nestor!, 'sessions');
    await connector.waitFor(nestor!.conversationId, (c) => JSON.stringify(c.body).includes('No open chats'));
    await say(app, s.tenantId, nestor!, 'Hello there');
    await connector.waitFor(nestor!.conversationId, (c) => textOf(c).includes('no open chat'));
  });
});
