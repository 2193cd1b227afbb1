import type { App } from '../../bot/src/app';
import type { InteractSettings, Service } from '../../bot/src/core/model';
import { snippetFor } from '../../bot/src/services/interact/snippet';
import {
  domainTemplate,
  interactSettings,
  service as serviceFixture,
  tenant as tenantFixture,
  user as userFixture,
} from './fixtures';
import { installTeamsAppAt } from './teams-install';
import { newTenantId } from './store';

/** The page origin the kit's domain template allows. */
export const ALLOWED = 'https://shop.example.com';
export type Setup = { tenantId: string; contactId: string; key: string; serviceId: string };
export type StartedChat = { chatId: string; token: string };

/** The widget's form as Casey Customer sends it to start a chat. */
export const customerForm = (key: string, message: string) => ({
  key,
  displayName: 'Casey Customer',
  email: 'casey@example.com',
  consent: true,
  message,
});

/**
 * A website customer's calls against one app: a tenant whose service is reachable by website (with
 * overrides to break one rule at a time), the widget's form, chats and their event stream.
 */
export function interactKit(app: () => Pick<App, 'store' | 'baseUrl'>) {
  async function setup(
    over: {
      interact?: Partial<InteractSettings>;
      service?: Partial<Service>;
      tenant?: Parameters<typeof tenantFixture>[1];
      userLicense?: boolean;
    } = {},
  ): Promise<Setup> {
    const tenantId = newTenantId();
    const serviceId = 'svc-web';
    const contactId = `ct-${tenantId}`;
    const key = `key-${tenantId}-0123456789`;
    const { store } = app();
    await store.repos.tenants.create(
      tenantFixture(tenantId, {
        privacyPolicyUrl: 'https://example.com/privacy',
        licenses: {
          contactCenter: { total: 1, assignees: [serviceId] },
          interactService: { total: 1, assignees: [serviceId] },
          imModality: { total: 1, assignees: over.userLicense === false ? [] : ['agent-1'] },
        },
        ...over.tenant,
      }),
    );
    await store.repos.users.create(userFixture(tenantId, 'agent-1'));
    await store.repos.domainTemplates.create(
      domainTemplate(tenantId, 'dt-1', { origins: [ALLOWED, 'https://*.partner.example'] }),
    );
    await store.repos.services.create(
      serviceFixture(tenantId, serviceId, {
        members: [{ userId: 'agent-1', active: true }],
        interact: interactSettings({
          contactId,
          widgetKey: key,
          restrictAccess: true,
          domainTemplateIds: ['dt-1'],
          ...over.interact,
        }),
        ...over.service,
      }),
    );
    await store.directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId } });
    return { tenantId, contactId, key, serviceId };
  }

  const api = (path: string) => `${app().baseUrl}/interact/v1${path}`;
  const getConfig = (s: Setup, origin: string | null = ALLOWED, key = s.key) =>
    fetch(api(`/contacts/${s.contactId}?key=${encodeURIComponent(key)}`), { headers: origin ? { origin } : {} });
  const form = (s: Setup, over: Record<string, unknown> = {}) => ({ ...customerForm(s.key, 'Hello'), ...over });
  const createChat = (s: Setup, body: Record<string, unknown> = form(s), origin = ALLOWED) =>
    fetch(api(`/contacts/${s.contactId}/chats`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(body),
    });
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  async function startChat(s: Setup): Promise<StartedChat> {
    const res = await createChat(s);
    if (res.status !== 201) throw new Error(`creating a chat answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as StartedChat;
  }
  const post = (s: Setup, chat: StartedChat, what: string, body: unknown, origin = ALLOWED) =>
    fetch(api(`/contacts/${s.contactId}/chats/${chat.chatId}/${what}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${chat.token}` },
      body: JSON.stringify(body),
    });
  const streamUrl = (s: Setup, chat: StartedChat) =>
    api(`/contacts/${s.contactId}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`);

  return { setup, api, getConfig, form, createChat, errorCode, startChat, post, streamUrl };
}

/**
 * A website-reachable service of a new tenant whose whitelist allows exactly `allowedOrigin`, with its
 * one agent (Alex Wilber) available, and the snippet a site owner would paste.
 */
export async function websiteContact(
  app: App,
  allowedOrigin: string,
  tenant: Omit<Parameters<typeof tenantFixture>[1], 'licenses'> = {},
) {
  const tenantId = newTenantId();
  const contactId = `ct-${tenantId}`;
  const { store } = app;
  await store.repos.tenants.create(
    tenantFixture(tenantId, {
      privacyPolicyUrl: 'https://example.com/privacy',
      ...tenant,
      licenses: {
        contactCenter: { total: 1, assignees: ['svc'] },
        interactService: { total: 1, assignees: ['svc'] },
        imModality: { total: 1, assignees: ['alex'] },
      },
    }),
  );
  await store.repos.users.create(userFixture(tenantId, 'alex', { displayName: 'Alex Wilber' }));
  await store.repos.domainTemplates.create(domainTemplate(tenantId, 'dt', { origins: [allowedOrigin] }));
  const interact = interactSettings({
    contactId,
    widgetKey: `key-${tenantId}-abcdefgh`,
    restrictAccess: true,
    domainTemplateIds: ['dt'],
  });
  await store.repos.services.create(
    serviceFixture(tenantId, 'svc', { name: 'Support', members: [{ userId: 'alex', active: true }], interact }),
  );
  await store.directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId: 'svc' } });
  // Offer cards must reach Alex in Teams: the app is installed for them, as Teams does it.
  await installTeamsAppAt(app.baseUrl, tenantId, 'alex');
  await app.routing.agents.setPresence(tenantId, 'alex', 'available');
  return { tenantId, contactId, key: interact.widgetKey, snippet: snippetFor(app.baseUrl, interact) };
}

/** Alex accepts the offer of the chat's task (the routing has made it by now). */
export async function acceptAsAlex(app: App, tenantId: string, chatId: string): Promise<void> {
  const chat = await app.chats.get(tenantId, chatId);
  const ref = { tenantId, queue: chat!.task!.queue, taskId: chat!.task!.id };
  await app.routing.idle();
  const offer = (await app.routing.tasks.get(ref))!.offers.find((o) => o.state === 'pending')!;
  expect((await app.routing.tasks.accept(ref, offer.id, 'alex')).ok).toBe(true);
}
