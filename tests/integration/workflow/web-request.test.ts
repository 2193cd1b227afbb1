import nock from 'nock';
import type { WorkflowDefinitionInput } from '../../../bot/src/core/workflow';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import { refOf } from '../../../bot/src/services/routing';
import { eventually } from '../../helpers/process';
import { startTestCosmos } from '../../helpers/store';
import { type WorkflowWorld, createWorkflowWorld } from './harness';

let cosmos: EmbeddedCosmos;
const worlds: WorkflowWorld[] = [];
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  nock.restore();
  await cosmos.stop();
});
const world = async () => {
  const w = await createWorkflowWorld(cosmos);
  worlds.push(w);
  return w;
};

const CRM = 'https://crm.example.com';

const webRequest = (w: WorkflowWorld, overrides: Record<string, unknown> = {}) => ({
  id: 'wr-crm',
  tenantId: w.tenantId,
  type: 'webRequest',
  unitId: 'unit-1',
  name: 'CRM lookup',
  method: 'POST',
  url: `${CRM}/lookup?channel={{channel}}`,
  body: '{"email":"{{customer.email}}","name":"{{customer.name}}"}',
  auth: { kind: 'api-key', header: 'X-Api-Key', value: 'key-123' },
  timeoutSeconds: 5,
  responseMappings: [
    { path: '$.customer.tier', parameter: 'tier' },
    { path: '$.customer.orders[0].id', parameter: 'lastOrder' },
  ],
  ...overrides,
});

/** Web Request, then a message per exit naming what it got. */
const lookupWorkflow = (w: WorkflowWorld): WorkflowDefinitionInput => ({
  id: 'wf-crm',
  tenantId: w.tenantId,
  type: 'workflow',
  unitId: 'unit-1',
  name: 'CRM',
  start: 'crm',
  parameters: [{ name: 'tier' }, { name: 'lastOrder' }],
  nodes: [
    {
      id: 'crm',
      kind: 'web-request',
      settings: { webRequestId: 'wr-crm' },
      exits: { success: 'ok', failure: 'failed', timeout: 'slow' },
    },
    {
      id: 'ok',
      kind: 'message',
      settings: { text: 'Tier {{param.tier}}, last order {{param.lastOrder}}.' },
      exits: { next: null },
    },
    { id: 'failed', kind: 'message', settings: { text: 'Lookup failed.' }, exits: { next: null } },
    { id: 'slow', kind: 'message', settings: { text: 'Lookup timed out.' }, exits: { next: null } },
  ],
});

const setUp = async (overrides: Record<string, unknown> = {}) => {
  const w = await world();
  const saved = await w.workflows.admin.saveWebRequest(webRequest(w, overrides));
  if (!saved.ok) throw new Error(JSON.stringify(saved.refusal));
  await w.useWorkflow(lookupWorkflow(w));
  return w;
};

describe("Web Request against a customer's system", () => {
  it('sends the templated request with its API key and saves values from the response: "success"', async () => {
    const w = await setUp();
    const scope = nock(CRM)
      .post('/lookup', { email: 'casey@example.com', name: 'Casey Customer' })
      .query({ channel: 'Interact' })
      .matchHeader('X-Api-Key', 'key-123')
      .matchHeader('Content-Type', 'application/json')
      .reply(200, { customer: { tier: 'gold', orders: [{ id: 'A-17' }] } });
    const { chatId, ref } = await w.arrive();
    expect(scope.isDone()).toBe(true);
    expect(await w.received(chatId)).toEqual(['Tier gold, last order A-17.']);
    const trace = await w.workflows.admin.trace(w.tenantId, ref.taskId);
    expect(trace.find((e) => e.event === 'exit' && e.nodeId === 'crm')?.detail).toBe('success: HTTP 200');
  });

  it('fetches an OAuth2 client-credentials token once and sends it as a Bearer token', async () => {
    const w = await setUp({
      auth: {
        kind: 'oauth2-client-credentials',
        tokenUrl: 'https://login.example.com/oauth2/token',
        clientId: 'cc-app',
        clientSecret: 's3cret',
        scope: 'crm.read',
      },
    });
    const token = nock('https://login.example.com')
      .post(
        '/oauth2/token',
        (body: Record<string, string>) =>
          body.grant_type === 'client_credentials' &&
          body.client_id === 'cc-app' &&
          body.client_secret === 's3cret' &&
          body.scope === 'crm.read',
      )
      .once()
      .reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
    const api = nock(CRM)
      .post('/lookup')
      .query(true)
      .matchHeader('Authorization', 'Bearer tok-1')
      .twice()
      .reply(200, { customer: { tier: 'silver', orders: [] } });
    const first = await w.arrive();
    const second = await w.arrive();
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
    // A path that finds nothing leaves its parameter as it was (empty here).
    expect(await w.received(first.chatId)).toEqual(['Tier silver, last order .']);
    expect(await w.received(second.chatId)).toEqual(['Tier silver, last order .']);
  });

  it('"failure" on an error status or a body that is not JSON', async () => {
    const w = await setUp();
    nock(CRM).post('/lookup').query(true).reply(503, 'down');
    nock(CRM).post('/lookup').query(true).reply(200, '<html>');
    const a = await w.arrive();
    const b = await w.arrive();
    expect(await w.received(a.chatId)).toEqual(['Lookup failed.']);
    expect(await w.received(b.chatId)).toEqual(['Lookup failed.']);
  });

  it('"timeout" when the target does not answer in time', async () => {
    const w = await setUp({ timeoutSeconds: 1 });
    // The target holds its answer; once the request is out, a second passes on the workflow's clock.
    nock(CRM)
      .post('/lookup')
      .query(true)
      .delay(2500)
      .reply(200, {})
      .on('request', () => w.clock.advance(1_000));
    const { chatId } = await w.arrive();
    expect(await w.received(chatId)).toEqual(['Lookup timed out.']);
  });

  it('a slow target holds up only its own task', async () => {
    const w = await setUp({ timeoutSeconds: 10 });
    nock(CRM)
      .post('/lookup', (body: { name?: string }) => body.name === 'Slow Sam')
      .query(true)
      .delay(1500)
      .reply(200, { customer: { tier: 'bronze', orders: [] } });
    nock(CRM)
      .post('/lookup', (body: { name?: string }) => body.name === 'Quick Quinn')
      .query(true)
      .reply(200, { customer: { tier: 'gold', orders: [] } });

    const open = async (name: string) => {
      const customer = { displayName: name, email: 'x@example.com', address: null };
      const chat = await w.chats.open({
        tenantId: w.tenantId,
        target: { kind: 'service', serviceId: w.serviceId },
        channel: 'interact',
        contactId: null,
        customer,
      });
      const task = await w.routing.tasks.create({
        tenantId: w.tenantId,
        target: { kind: 'service', serviceId: w.serviceId },
        channel: 'interact',
        chatId: chat.id,
        customer,
        firstMessage: null,
      });
      await w.workflows.runner.start(refOf(task));
      return chat.id;
    };
    const slow = await open('Slow Sam');
    const quick = await open('Quick Quinn');
    await eventually(async () => ((await w.received(quick)).length === 1 ? true : undefined), 1000);
    expect(await w.received(slow)).toEqual([]);
    await w.settle();
    expect(await w.received(slow)).toEqual(['Tier bronze, last order .']);
    expect(await w.received(quick)).toEqual(['Tier gold, last order .']);
  });

  it('refuses a configuration with a bad URL or template', async () => {
    const w = await world();
    const saved = await w.workflows.admin.saveWebRequest(webRequest(w, { url: '{{param.host}}/x', body: '{{nope}}' }));
    expect(saved.ok).toBe(false);
    if (saved.ok) return;
    expect(saved.refusal.map((e) => e.field)).toEqual(['body', 'url']);
  });
});
