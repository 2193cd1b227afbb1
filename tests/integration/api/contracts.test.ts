import { z } from 'zod/v4';
import type { App } from '../../../bot/src/app';
import {
  AcceptResult,
  AgentView,
  Calendars,
  ChatEventView,
  ContactConfig,
  CreateChatResponse,
  CustomerMessageEvent,
  CustomerStatusEvent,
  DevToken,
  DevUsers,
  DomainTemplates,
  EditedJson,
  EndChatResponse,
  ErrorResponse,
  History,
  HistoryDetail,
  InteractView,
  LicensesView,
  Me,
  OrgUnit,
  Overview,
  OverviewChanged,
  PostMessageResponse,
  RequestProblem,
  ResetEvent,
  ServiceSummary,
  Services,
  SessionDetail,
  SessionEvents,
  SystemMessagesList,
  TypingEvent,
  Units,
  Users,
  WebRequestCheck,
  WebRequestSaved,
  WebRequests,
  WorkflowCheck,
  WorkflowSaved,
  Workflows,
  WrapUp,
} from '../../../bot/src/contracts';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import {
  domainTemplate,
  interactSettings,
  service,
  systemMessages,
  tenant,
  user,
  webRequestInput,
} from '../../helpers/fixtures';
import { customerForm } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { type SseStream, openSse } from '../../helpers/sse';
import { newTenantId } from '../../helpers/store';
import { devSignInRequest, tabCall } from '../../helpers/tab-calls';

/**
 * The tab and the widget read the server's answers with the shared contracts (bot/src/contracts).
 * Every answer they read, on the wire: it fits its schema, and a view carries nothing the schema does
 * not name. Configuration items are answered as stored (with the store's `_etag` and `_ts`), so they
 * only have to fit.
 */
let app: App;
openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits(1000) })));

const ORIGIN = 'https://shop.example.com';

function fits<S extends z.ZodType>(schema: S, body: unknown, exact: boolean): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`${JSON.stringify(body)}\ndoes not fit:\n${z.prettifyError(parsed.error)}`);
  // Parsing drops fields the schema does not name: an exact answer comes out as it went in.
  if (exact) expect(parsed.data).toEqual(body);
  return parsed.data;
}

/** The answer has this status and is exactly the contract's view. */
async function answer<S extends z.ZodType>(
  schema: S,
  response: Promise<Response>,
  status = 200,
  exact = true,
): Promise<z.output<S>> {
  const res = await response;
  const body: unknown = await res.json();
  expect({ status: res.status, body }).toMatchObject({ status });
  return fits(schema, body, exact);
}

const stored = <S extends z.ZodType>(schema: S, response: Promise<Response>, status = 200) =>
  answer(schema, response, status, false);

/** The events of a stream up to `until`, each checked against the schema of its event name. */
async function streamed(
  stream: SseStream,
  schemas: Record<string, z.ZodType>,
  until: (e: { event: string; data: string }) => boolean,
): Promise<string[]> {
  const events = await stream.until(until);
  for (const e of events) {
    const schema = schemas[e.event];
    if (!schema) throw new Error(`unexpected event ${e.event}`);
    fits(schema, JSON.parse(e.data), true);
  }
  return events.map((e) => e.event);
}

async function setup() {
  const tenantId = newTenantId();
  const contactId = `ct-${tenantId}`;
  const key = `key-${tenantId}-0123456789`;
  const { repos, directory } = app.store;
  await repos.tenants.create(
    tenant(tenantId, {
      adminUserIds: ['alex'],
      privacyPolicyUrl: 'https://shop.example.com/privacy',
      licenses: {
        contactCenter: { total: 2, assignees: ['svc'] },
        interactService: { total: 2, assignees: ['svc'] },
        imModality: { total: 5, assignees: ['alex'] },
        interactUser: { total: 1, assignees: ['alex'] },
      },
    }),
  );
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Head office', parentId: null });
  await repos.users.create(
    user(tenantId, 'alex', {
      displayName: 'Alex Wilber',
      interact: interactSettings({ contactId: `ct-a-${tenantId}` }),
    }),
  );
  await repos.services.create(
    service(tenantId, 'svc', {
      name: 'Support',
      members: [{ userId: 'alex', active: true }],
      interact: interactSettings({ contactId, widgetKey: key }),
    }),
  );
  await directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId: 'svc' } });
  await repos.domainTemplates.create(domainTemplate(tenantId, 'dt-1', { origins: [ORIGIN] }));
  await repos.systemMessages.create(systemMessages(tenantId, 'sm-1'));
  await app.routing.agents.setReachable(tenantId, 'alex', true);
  await app.routing.agents.setPresence(tenantId, 'alex', 'available');

  const { token } = await answer(DevToken, devSignInRequest(app, tenantId, 'alex'));
  const tab = (method: string, path: string, body?: unknown) => tabCall(app, method, path, token, body);
  const widgetUrl = (path: string) => `${app.baseUrl}/interact/v1/contacts/${contactId}${path}`;
  const widget = (method: string, path: string, body?: unknown, bearer?: string) =>
    fetch(widgetUrl(path), {
      method,
      headers: {
        origin: ORIGIN,
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const startChat = (message: string) =>
    answer(CreateChatResponse, widget('POST', '/chats', customerForm(key, message)), 201);
  return { tenantId, key, token, tab, widget, widgetUrl, startChat };
}

describe('the shared contracts, on the wire', () => {
  it('the widget API and its event stream answer what the widget reads', async () => {
    const s = await setup();
    const config = await answer(ContactConfig, s.widget('GET', `?key=${s.key}`));
    expect(config).toMatchObject({ displayName: 'Support', privacyPolicyUrl: 'https://shop.example.com/privacy' });

    const refused = await answer(
      ErrorResponse,
      s.widget('POST', '/chats', { key: s.key, displayName: '', email: 'nope', consent: true }),
      400,
    );
    expect(
      z
        .array(RequestProblem)
        .parse(refused.error.details)
        .map((p) => p.path),
    ).toEqual(expect.arrayContaining(['displayName', 'email']));
    await answer(ErrorResponse, s.widget('GET', '?key=wrong-key-0123456789'), 403);

    const chat = await s.startChat('Where is my parcel?');
    await answer(
      PostMessageResponse,
      s.widget('POST', `/chats/${chat.chatId}/messages`, { text: 'Hello?' }, chat.token),
      201,
    );

    const customer = {
      message: CustomerMessageEvent,
      status: CustomerStatusEvent,
      typing: TypingEvent,
      reset: ResetEvent,
    };
    const stream = await openSse(s.widgetUrl(`/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`), {
      origin: ORIGIN,
    });
    // The waiting status and the customer's second message are written independently: either comes first.
    let sawHello = false;
    let sawStatus = false;
    const until = (e: { event: string; data: string }) => {
      sawHello ||= e.event === 'message' && e.data.includes('Hello?');
      sawStatus ||= e.event === 'status';
      return sawHello && sawStatus;
    };
    expect(await streamed(stream, customer, until)).toEqual(expect.arrayContaining(['message', 'status']));
    stream.close();
    // Resuming past the end of the log: `reset`, then the whole log.
    const resumed = await openSse(
      s.widgetUrl(`/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}&lastEventId=999`),
      { origin: ORIGIN },
    );
    expect((await streamed(resumed, customer, (e) => e.event === 'message' && e.data.includes('Hello?')))[0]).toBe(
      'reset',
    );
    resumed.close();

    await answer(EndChatResponse, s.widget('POST', `/chats/${chat.chatId}/end`, {}, chat.token));
  });

  it('My Sessions answers what the tab reads, from the offer to the wrap-up', async () => {
    const s = await setup();
    await answer(Me, s.tab('GET', '/me'));
    const overviewStream = await openSse(`${app.baseUrl}/api/v1/me/stream`, { authorization: `Bearer ${s.token}` });

    const chat = await s.startChat('Refund please');
    await app.routing.idle();
    await streamed(
      overviewStream,
      { changed: OverviewChanged },
      (e) => e.event === 'changed' && e.data.includes('offers'),
    );
    overviewStream.close();
    const offer = await eventually(async () => (await answer(Overview, s.tab('GET', '/me/sessions'))).offers[0]);
    await answer(AcceptResult, s.tab('POST', `/me/offers/${offer.taskId}/accept`));
    expect((await answer(Overview, s.tab('GET', '/me/sessions'))).active).toHaveLength(1);

    const path = `/me/sessions/${chat.chatId}`;
    await answer(SessionDetail, s.tab('GET', path));
    const stream = await openSse(`${app.baseUrl}/api/v1${path}/stream`, { authorization: `Bearer ${s.token}` });
    const agent = { message: ChatEventView, status: ChatEventView, typing: TypingEvent };
    await streamed(stream, agent, (e) => e.event === 'message' && e.data.includes('Refund please'));
    await s.widget('POST', `/chats/${chat.chatId}/typing`, { typing: true }, chat.token);
    await streamed(stream, agent, (e) => e.event === 'typing');
    await answer(ChatEventView, s.tab('POST', `${path}/messages`, { text: 'Refund is on its way.' }), 201);
    await streamed(stream, agent, (e) => e.event === 'message' && e.data.includes('Refund is on its way.'));
    expect((await answer(SessionEvents, s.tab('GET', `${path}/events?after=0`))).events.length).toBeGreaterThan(2);
    await answer(AgentView, s.tab('PUT', '/me/presence', { presence: 'away' }));
    await answer(AgentView, s.tab('POST', '/me/rona-reset'));

    expect((await s.tab('POST', `${path}/end`)).status).toBe(204);
    await streamed(stream, agent, (e) => e.event === 'status' && e.data.includes('"ended"'));
    stream.close();
    const item = await eventually(async () =>
      (await answer(History, s.tab('GET', '/me/history'))).sessions.find((x) => x.taskOutcome !== null),
    );
    expect((await answer(HistoryDetail, s.tab('GET', `/me/history/${item.sessionId}`))).events.length).toBeGreaterThan(
      2,
    );
    await answer(
      WrapUp,
      s.tab('PUT', `/me/history/${item.sessionId}/wrap-up`, { code: 'refund', tags: ['vip'], note: 'Refunded.' }),
    );
    expect((await answer(History, s.tab('GET', '/me/history'))).sessions[0]?.wrapUp).toMatchObject({ code: 'refund' });
    await answer(ErrorResponse, s.tab('GET', `${path}x`), 404);
  });

  it('the Interact settings and the admin pages answer what the tab reads', async () => {
    const s = await setup();
    await answer(DevUsers, fetch(`${app.baseUrl}/api/v1/dev/users?tenantId=${s.tenantId}`));
    await answer(InteractView, s.tab('GET', '/users/alex/interact'));
    await answer(
      InteractView,
      s.tab('PATCH', '/services/svc/interact', { restrictAccess: true, domainTemplateIds: ['dt-1'] }),
    );
    await answer(InteractView, s.tab('POST', '/services/svc/interact/regenerate-key'));

    const admin = (method: string, path: string, body?: unknown) => s.tab(method, `/admin${path}`, body);
    await answer(Users, admin('GET', '/users'));
    await answer(LicensesView, admin('GET', '/licenses'));
    await answer(LicensesView, admin('POST', '/licenses/unassign', { kind: 'interactUser', holderId: 'alex' }));
    await answer(Services, admin('GET', '/services'));
    const created = await answer(ServiceSummary, admin('POST', '/services', { name: 'Sales', unitId: 'unit-1' }), 201);
    await answer(ServiceSummary, admin('GET', `/services/${created.id}`));
    await answer(ServiceSummary, admin('PATCH', `/services/${created.id}`, { name: 'Sales team' }));

    await stored(Units, admin('GET', '/units'));
    await stored(OrgUnit, admin('POST', '/units', { name: 'Branch', parentId: 'unit-1' }), 201);
    await stored(DomainTemplates, admin('GET', '/domain-templates'));
    await stored(SystemMessagesList, admin('GET', '/system-messages'));
    await stored(Calendars, admin('GET', '/calendars'));

    const workflow = {
      name: 'Queue only',
      unitId: 'unit-1',
      start: 'accept',
      nodes: [
        { id: 'accept', kind: 'accept', settings: {}, exits: { next: 'queue' } },
        { id: 'queue', kind: 'queue-task', settings: {}, exits: { next: null } },
      ],
    };
    expect(
      (await answer(WorkflowCheck, admin('POST', '/workflows/wf-1/check', { ...workflow, start: 'nowhere' }))).ok,
    ).toBe(false);
    await answer(WorkflowSaved, admin('PUT', '/workflows/wf-1', workflow));
    await answer(Workflows, admin('GET', '/workflows'));
    await answer(EditedJson, admin('GET', '/workflows/wf-1'));

    const webRequest = webRequestInput();
    expect(
      (await answer(WebRequestCheck, admin('POST', '/web-requests/wr-1/check', { ...webRequest, url: 'not a url' })))
        .ok,
    ).toBe(false);
    // Answered whole, secrets redacted; the editor reads its id and name.
    await answer(WebRequestSaved, admin('PUT', '/web-requests/wr-1', webRequest), 200, false);
    await answer(EditedJson, admin('GET', '/web-requests/wr-1'));
    await answer(WebRequests, admin('GET', '/web-requests'));
  });
});
