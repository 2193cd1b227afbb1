import type { App } from '../../../bot/src/app';
import { DEMO_TENANT_ID, demoIds } from '../../../bot/src/services/demo-tenant';
import { startTestApp } from '../../helpers/app';
import { customerForm } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { openSse } from '../../helpers/sse';
import { openForAll } from '../../helpers/hooks';
import { installTeamsApp } from '../../helpers/teams-install';

let app: App;
openForAll(async () => (app = await startTestApp()));

describe('a customer chat on the demo service', () => {
  it('walks the default workflow: welcome, waiting with a position, offered to an agent, connected on accept', async () => {
    const service = await app.store.repos.services.get(DEMO_TENANT_ID, demoIds.service);
    const origin = app.baseUrl;
    const created = await fetch(`${app.baseUrl}/interact/v1/contacts/${service.interact.contactId}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(customerForm(service.interact.widgetKey, 'Hi there')),
    });
    expect(created.status).toBe(201);
    const { chatId, token } = (await created.json()) as { chatId: string; token: string };
    const stream = await openSse(
      `${app.baseUrl}/interact/v1/contacts/${service.interact.contactId}/chats/${chatId}/events?token=${encodeURIComponent(token)}`,
      { origin },
    );
    const beforeAccept = await stream.until(
      (e) => e.event === 'status' && JSON.parse(e.data).state === 'waiting' && JSON.parse(e.data).position === 1,
    );
    const texts = beforeAccept.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text as string);
    expect(texts).toEqual(['Hi there', 'Hello Casey Customer, welcome to Service B.']);

    await installTeamsApp(app, DEMO_TENANT_ID, 'agent-alex');
    await app.routing.agents.setPresence(DEMO_TENANT_ID, 'agent-alex', 'available');
    const chat = await app.chats.get(DEMO_TENANT_ID, chatId);
    const ref = { tenantId: DEMO_TENANT_ID, queue: chat!.task!.queue, taskId: chat!.task!.id };
    const offer = await eventually(async () =>
      (await app.routing.tasks.get(ref))?.offers.find((o) => o.state === 'pending'),
    );
    expect(offer.userId).toBe('agent-alex');
    expect((await app.routing.tasks.accept(ref, offer.id, 'agent-alex')).ok).toBe(true);

    const connected = await stream.until((e) => e.event === 'status' && JSON.parse(e.data).state === 'connected');
    // The demo's direct system messages show agents by first name.
    expect(JSON.parse(connected[connected.length - 1]!.data)).toMatchObject({ agentName: 'Alex' });
    stream.close();
    // The workflow stopped once the agent accepted: its instance is gone and its trace says why.
    await eventually(async () => ((await app.workflows.runner.instance(ref)) === undefined ? true : undefined));
    const trace = await app.workflows.runner.trace(DEMO_TENANT_ID, ref.taskId);
    expect(trace.map((t) => t.event)).toContain('started');
    expect(trace[trace.length - 1]).toMatchObject({ event: 'stopped', detail: 'an agent accepted the task' });
  });
});
