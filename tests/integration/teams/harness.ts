import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import type { App, AppOptions } from '../../../bot/src/app';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import {
  interactSettings,
  service as serviceFixture,
  systemMessages as systemMessagesFixture,
  tenant as tenantFixture,
  user as userFixture,
} from '../../helpers/fixtures';
import { eventually } from '../../helpers/process';
import { newTenantId } from '../../helpers/store';

export const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
export const BOT_APP_ID = '8f2d6c1a-4b3e-4f5a-9c7d-2e1f0a9b8c7d';

type Vars = Record<string, unknown>;

/** Fills `{{name}}` in a fixture: a value that is exactly one placeholder takes the variable as it is (object, number). */
function fill(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    if (whole && whole[1]! in vars) return vars[whole[1]!];
    return value.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** A real-shaped Teams activity from tests/fixtures/teams, for one agent. */
export function activity(name: string, vars: Vars): Record<string, unknown> {
  const raw = JSON.parse(
    readFileSync(path.resolve(__dirname, '../../fixtures/teams', `${name}.json`), 'utf8'),
  ) as unknown;
  return fill(raw, {
    serviceUrl: SERVICE_URL,
    botAppId: BOT_APP_ID,
    messageId: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    ...vars,
  }) as Record<string, unknown>;
}

export type ConnectorCall = {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  id: string;
  at: number;
};

/**
 * The Bot Connector as nock answers it: every call to the service URL is recorded (method, path,
 * Authorization header, body) and answered 201 with a new activity id, unless a script for that
 * conversation says otherwise (e.g. 429 first).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly scripts = new Map<string, { status: number; headers?: Record<string, string> }[]>();
  private seq = 0;
  private readonly scope: nock.Scope;

  constructor(base = 'https://smba.trafficmanager.net') {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const connector = this;
    this.scope = nock(base)
      .persist()
      .post(/\/emea\/v3\/conversations\/.+\/activities/)
      .reply(function (uri, body) {
        return connector.answer('POST', uri, this.req.headers.authorization, body);
      })
      .put(/\/emea\/v3\/conversations\/.+\/activities\/.+/)
      .reply(function (uri, body) {
        return connector.answer('PUT', uri, this.req.headers.authorization, body);
      });
  }

  /** The next answers for calls to this conversation, before the default 201. */
  script(conversationId: string, answers: { status: number; headers?: Record<string, string> }[]): void {
    this.scripts.set(conversationId, [...(this.scripts.get(conversationId) ?? []), ...answers]);
  }

  private answer(
    method: string,
    uri: string,
    authorization: string | string[] | undefined,
    body: unknown,
  ): [number, unknown, Record<string, string>] {
    const conversationId = decodeURIComponent(/\/conversations\/([^/]+)\/activities/.exec(uri)?.[1] ?? '');
    const scripted = this.scripts.get(conversationId)?.shift();
    if (scripted && scripted.status >= 300) {
      this.calls.push({
        method: `${method} (refused ${scripted.status})`,
        path: uri,
        authorization: first(authorization),
        body: body as Record<string, unknown>,
        id: '',
        at: Date.now(),
      });
      return [scripted.status, { error: { code: 'Throttled', message: 'Too many requests' } }, scripted.headers ?? {}];
    }
    const id =
      method === 'PUT' ? decodeURIComponent(uri.split('/').pop()!) : `1767${String(++this.seq).padStart(9, '0')}`;
    this.calls.push({
      method,
      path: uri,
      authorization: first(authorization),
      body: body as Record<string, unknown>,
      id,
      at: Date.now(),
    });
    return [method === 'PUT' ? 200 : 201, { id }, {}];
  }

  /** Calls to one agent's conversation that were taken, in order (`all` includes the refused ones). */
  to(conversationId: string, all = false): ConnectorCall[] {
    const path = `/emea/v3/conversations/${encodeURIComponent(conversationId)}/activities`;
    return this.calls.filter((c) => c.path.startsWith(path) && (all || !c.method.includes('refused')));
  }

  /** Waits until the conversation has received at least `n` calls that match. */
  async waitFor(conversationId: string, predicate: (c: ConnectorCall) => boolean, n = 1): Promise<ConnectorCall[]> {
    return eventually(() => {
      const matching = this.to(conversationId).filter(predicate);
      return matching.length >= n ? matching : undefined;
    });
  }

  /** Removes every interceptor and gives the HTTP modules back: the next test file in this worker starts clean. */
  done(): void {
    this.scope.persist(false);
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  }
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** What a message or card says, for assertions. */
export const textOf = (call: ConnectorCall): string => (typeof call.body.text === 'string' ? call.body.text : '');
export const cardOf = (
  call: ConnectorCall,
):
  | { body: Record<string, unknown>[]; actions?: { title: string; verb: string; data: Record<string, string> }[] }
  | undefined => {
  const attachments = call.body.attachments as { contentType: string; content: unknown }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return card?.content as ReturnType<typeof cardOf>;
};
export const cardText = (call: ConnectorCall): string => JSON.stringify(cardOf(call) ?? {});

export type Agent = { aadObjectId: string; name: string; conversationId: string; agentAccountId: string };

export const newAgent = (name: string): Agent => {
  const aadObjectId = randomUUID();
  return {
    aadObjectId,
    name,
    conversationId: `a:1${randomUUID().replace(/-/g, '')}Qx_b-Z`,
    agentAccountId: `29:1${randomUUID().replace(/-/g, '')}`,
  };
};

export const varsOf = (tenantId: string, agent: Agent): Vars => ({
  tenantId,
  aadObjectId: agent.aadObjectId,
  conversationId: agent.conversationId,
  agentAccountId: agent.agentAccountId,
  agentName: agent.name,
});

/** Posts an activity to the bot the way the Bot Framework service does. */
export async function postActivity(
  app: App,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${app.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export type Setup = {
  tenantId: string;
  serviceId: string;
  contactId: string;
  key: string;
  agents: Agent[];
  systemMessagesId: string;
};

/**
 * A tenant with one website-reachable service whose members are IM-licensed agents, and direct system
 * messages that show the agent's first name and carry messages for the agent on accept and on end.
 */
export async function setupTenant(
  app: App,
  agentNames: string[],
  options: { licensed?: boolean } = {},
): Promise<Setup> {
  const tenantId = newTenantId();
  const serviceId = 'svc-web';
  const contactId = `ct-${tenantId}`;
  const key = `key-${tenantId}-0123456789`;
  const agents = agentNames.map(newAgent);
  const ids = agents.map((a) => a.aadObjectId);
  const { store } = app;
  const messages = systemMessagesFixture(tenantId, 'sm-1', {
    agentDisplayName: { mode: 'firstName' },
    toAgent: { onAccept: 'Greet the customer by name.', onEnd: 'Tag the session if it needs follow-up.' },
    toCustomer: { onAccept: 'You are now chatting with an agent.', onEnd: 'Thank you for contacting us.' },
  });
  await store.repos.tenants.create(
    tenantFixture(tenantId, {
      licenses: {
        contactCenter: { total: 1, assignees: [serviceId] },
        interactService: { total: 1, assignees: [serviceId] },
        imModality: { total: 10, assignees: options.licensed === false ? [] : ids },
      },
    }),
  );
  await Promise.all(
    agents.map((a) =>
      store.repos.users.create(
        userFixture(tenantId, a.aadObjectId, {
          displayName: a.name,
          email: `${a.name.split(' ')[0]!.toLowerCase()}@contoso.example`,
        }),
      ),
    ),
  );
  await store.repos.systemMessages.create(messages);
  await store.repos.services.create(
    serviceFixture(tenantId, serviceId, {
      name: 'Service B',
      members: ids.map((userId) => ({ userId, active: true })),
      interact: interactSettings({ contactId, widgetKey: key, directSystemMessagesId: messages.id }),
    }),
  );
  await store.directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId } });
  return { tenantId, serviceId, contactId, key, agents, systemMessagesId: messages.id };
}

/** The customer side, over the real Interact API. */
export async function customerChat(
  app: App,
  s: Setup,
  form: { displayName: string; email: string; message?: string },
): Promise<{ chatId: string; token: string }> {
  const res = await fetch(`${app.baseUrl}/interact/v1/contacts/${s.contactId}/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
    body: JSON.stringify({ key: s.key, consent: true, ...form }),
  });
  if (res.status !== 201) throw new Error(`chat not created: ${res.status} ${await res.text()}`);
  return (await res.json()) as { chatId: string; token: string };
}

export async function customerPost(
  app: App,
  s: Setup,
  chat: { chatId: string; token: string },
  what: 'messages' | 'end',
  body: unknown,
): Promise<Response> {
  return fetch(`${app.baseUrl}/interact/v1/contacts/${s.contactId}/chats/${chat.chatId}/${what}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://shop.example.com',
      authorization: `Bearer ${chat.token}`,
    },
    body: JSON.stringify(body),
  });
}

/** Network for tests: loopback (the app, the embedded Cosmos) passes, everything else must be mocked. */
export function isolateNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
}

/**
 * The app (demo tenant off, the widget API's limits raised) and a Bot Connector stand-in for a test
 * file, on an isolated network, with the helpers below bound to them. Registers the jest hooks; `app`
 * and `connector` are set before the file's own `beforeAll` hooks run.
 */
export class TeamsTestApp {
  app!: App;
  connector!: FakeConnector;

  setupTenant(agentNames: string[], options?: { licensed?: boolean }): Promise<Setup> {
    return setupTenant(this.app, agentNames, options);
  }

  install(tenantId: string, agent: Agent): Promise<void> {
    return install(this.app, this.connector, tenantId, agent);
  }

  /** Installs the app for an agent, who then says they are available; waits for the confirmation. */
  async ready(tenantId: string, agent: Agent): Promise<void> {
    await this.install(tenantId, agent);
    await this.say(tenantId, agent, 'status available');
    await this.connector.waitFor(agent.conversationId, (c) => textOf(c).includes('<b>Available</b>'));
  }

  /** A tenant (as `setupTenant` makes it) with Alex Wilber as its one agent, installed and available. */
  async alexReady(): Promise<{ s: Setup; alex: Agent }> {
    const s = await this.setupTenant(['Alex Wilber']);
    const alex = s.agents[0]!;
    await this.ready(s.tenantId, alex);
    return { s, alex };
  }

  say(tenantId: string, agent: Agent, text: string): Promise<Response> {
    return say(this.app, tenantId, agent, text);
  }

  press(tenantId: string, agent: Agent, card: ConnectorCall, verb: string): ReturnType<typeof press> {
    return press(this.app, tenantId, agent, card, verb);
  }

  postActivity(body: Record<string, unknown>): Promise<Response> {
    return postActivity(this.app, body);
  }

  customerChat(s: Setup, form: Parameters<typeof customerChat>[2]): ReturnType<typeof customerChat> {
    return customerChat(this.app, s, form);
  }

  /** Casey Customer starts a chat from the website. */
  caseyChat(s: Setup, message: string): ReturnType<typeof customerChat> {
    return this.customerChat(s, { displayName: 'Casey Customer', email: 'casey@example.com', message });
  }

  /** The first "New chat request" card sent to the agent. */
  async offerOf(agent: Agent): Promise<ConnectorCall> {
    return (await this.connector.waitFor(agent.conversationId, (c) => cardText(c).includes('New chat request')))[0]!;
  }

  /** The updates (PUTs) of one card sent to the agent, in order. */
  updatesOf(agent: Agent, card: ConnectorCall): ConnectorCall[] {
    return this.connector
      .to(agent.conversationId)
      .filter((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${card.id}`));
  }

  customerPost(
    s: Setup,
    chat: { chatId: string; token: string },
    what: 'messages' | 'end',
    body: unknown,
  ): Promise<Response> {
    return customerPost(this.app, s, chat, what, body);
  }
}

export function teamsTestApp(options: AppOptions = {}): TeamsTestApp {
  const world = new TeamsTestApp();
  beforeAll(async () => {
    isolateNetwork();
    world.app = await startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits(), ...options });
    world.connector = new FakeConnector();
  });
  afterAll(async () => {
    world.connector.done();
    await world.app.close();
  });
  return world;
}

/** Installs the app for an agent and waits for the welcome. */
export async function install(app: App, connector: FakeConnector, tenantId: string, agent: Agent): Promise<void> {
  const res = await postActivity(app, activity('installation-update-add', varsOf(tenantId, agent)));
  if (res.status !== 200) throw new Error(`install refused: ${res.status}`);
  await connector.waitFor(agent.conversationId, (c) => textOf(c).startsWith('Welcome'));
}

/** The agent writes in Teams. */
export async function say(app: App, tenantId: string, agent: Agent, text: string): Promise<Response> {
  return postActivity(app, activity('message', { ...varsOf(tenantId, agent), text }));
}

/** The agent presses a button on a card; the response carries the card that replaces it. */
export async function press(
  app: App,
  tenantId: string,
  agent: Agent,
  card: ConnectorCall,
  verb: string,
): Promise<{ status: number; body: { statusCode: number; type: string; value: unknown } }> {
  const action = cardOf(card)?.actions?.find((a) => a.verb === verb);
  if (!action) throw new Error(`no ${verb} on the card`);
  const res = await postActivity(
    app,
    activity('invoke-adaptive-card-action', {
      ...varsOf(tenantId, agent),
      cardActivityId: card.id,
      verb,
      title: action.title,
      data: action.data,
    }),
  );
  return { status: res.status, body: (await res.json()) as { statusCode: number; type: string; value: unknown } };
}
