import type { WorkflowDefinitionInput, WorkflowNodeInput } from '../../../bot/src/core/workflow';
import { serviceQueueScope, timerIds } from '../../../bot/src/store/partition-keys';
import { service as serviceFixture } from '../../helpers/fixtures';
import { worldsOnSharedCosmos } from '../../helpers/store';
import { SEC, type WorkflowWorld, createWorkflowWorld } from './harness';

const world = worldsOnSharedCosmos(createWorkflowWorld);

const workflow = (
  w: WorkflowWorld,
  id: string,
  nodes: WorkflowNodeInput[],
  parameters: string[] = [],
): WorkflowDefinitionInput => ({
  id,
  tenantId: w.tenantId,
  type: 'workflow',
  unitId: 'unit-1',
  name: id,
  start: nodes[0]!.id,
  parameters: parameters.map((name) => ({ name })),
  nodes,
});

/** A world (as `world` makes it) whose service uses a workflow of these nodes. */
async function worldWith(
  id: string,
  nodes: WorkflowNodeInput[],
  parameters: string[] = [],
  options?: Parameters<typeof world>[0],
): Promise<WorkflowWorld> {
  const w = await world(options);
  await w.useWorkflow(workflow(w, id, nodes, parameters));
  return w;
}

const reportOf = (w: WorkflowWorld, ref: { taskId: string; queue: string }) =>
  w.store.repos.taskReports.get(w.tenantId, ref.taskId, ref.queue);

describe('IM workflows with a simulated customer', () => {
  it('Collect Information asks again after an invalid answer and saves the valid one for later messages', async () => {
    const w = await worldWith(
      'wf-collect',
      [
        {
          id: 'ask',
          kind: 'collect-information',
          settings: {
            prompt: 'Your email address, please?',
            parameter: 'email',
            format: 'email',
            retries: 1,
            timeoutSeconds: 120,
          },
          exits: { collected: 'check', invalid: 'bye', timeout: 'bye' },
        },
        {
          id: 'check',
          kind: 'check-parameter',
          settings: { parameter: 'email', operator: 'contains', value: '@example.com' },
          exits: { match: 'thanks', 'no-match': 'queue' },
        },
        {
          id: 'thanks',
          kind: 'message',
          settings: { text: 'Thanks, we will write to {{param.email}}.' },
          exits: { next: 'queue' },
        },
        { id: 'queue', kind: 'queue-task', settings: {}, exits: { next: null } },
        { id: 'bye', kind: 'disconnect', settings: {}, exits: {} },
      ],
      ['email'],
    );
    const { chatId, ref } = await w.arrive();
    expect(await w.received(chatId)).toEqual(['Your email address, please?']);
    await w.say(chatId, 'my email is casey');
    expect((await w.received(chatId)).at(-1)).toMatch(/does not look like an email/);
    await w.say(chatId, 'casey@example.com');
    expect((await w.received(chatId)).at(-1)).toBe('Thanks, we will write to casey@example.com.');
    // The workflow ended with the task queued: distribution offers it to an agent.
    const task = await w.routing.tasks.get(ref);
    expect(task?.state).toBe('queued');
    expect(task?.offers).toHaveLength(1);
    expect(await w.workflows.runner.instance(ref)).toBeUndefined();
    // What it collected stays with the chat, for the agent's session view.
    expect((await w.chats.get(w.tenantId, chatId))?.parameters).toEqual({ email: 'casey@example.com' });
  });

  it('Collect Information times out on a durable timer and the workflow goes on by "timeout"', async () => {
    const w = await worldWith(
      'wf-timeout',
      [
        {
          id: 'ask',
          kind: 'collect-information',
          settings: { prompt: 'Order number?', parameter: 'order', format: 'number', timeoutSeconds: 60 },
          exits: { collected: null, invalid: null, timeout: 'late' },
        },
        { id: 'late', kind: 'message', settings: { text: 'We did not hear from you.' }, exits: { next: 'bye' } },
        { id: 'bye', kind: 'disconnect', settings: {}, exits: {} },
      ],
      ['order'],
    );
    const { chatId, ref } = await w.arrive();
    await w.advance(59 * SEC);
    expect(await w.received(chatId)).toEqual(['Order number?']);
    await w.advance(1 * SEC);
    expect(await w.received(chatId)).toEqual(['Order number?', 'We did not hear from you.']);
    expect(await reportOf(w, ref)).toMatchObject({ outcome: 'handled-by-system' });
    expect((await w.chats.get(w.tenantId, chatId))?.state).toBe('ended');
  });

  it('Input Customer routes by keyword and Transfer moves the chat to the other service, whose workflow takes over', async () => {
    const w = await world();
    await w.store.repos.services.create(
      serviceFixture(w.tenantId, 'svc-sales', { name: 'Sales', members: [{ userId: 'agent-2', active: true }] }),
    );
    const sales = workflow(w, 'wf-sales', [
      {
        id: 'hi',
        kind: 'message',
        settings: { text: 'Welcome to {{service.name}}, {{customer.name}}.' },
        exits: { next: 'queue' },
      },
      { id: 'queue', kind: 'queue-task', settings: { distribution: 'pickup' }, exits: { next: null } },
    ]);
    const saved = await w.workflows.admin.save(sales);
    expect(saved.ok).toBe(true);
    expect(await w.workflows.admin.select(w.tenantId, 'svc-sales', 'wf-sales')).toMatchObject({ ok: true });
    await w.useWorkflow(
      workflow(w, 'wf-menu', [
        {
          id: 'menu',
          kind: 'input-customer',
          settings: {
            prompt: 'What do you need?',
            choices: [
              { exit: 'buy', label: 'Buy', keywords: ['price', 'offer'] },
              { exit: 'help', label: 'Help' },
            ],
          },
          exits: { buy: 'to-sales', help: 'queue', 'no-match': 'menu', timeout: 'queue' },
        },
        {
          id: 'to-sales',
          kind: 'transfer',
          settings: { target: { kind: 'service', serviceId: 'svc-sales' } },
          exits: { failed: 'queue' },
        },
        { id: 'queue', kind: 'queue-task', settings: {}, exits: { next: null } },
      ]),
    );
    const { chatId, ref } = await w.arrive();
    expect(await w.received(chatId)).toEqual(['What do you need?\n1. Buy\n2. Help']);
    await w.say(chatId, 'no clue');
    expect(await w.received(chatId)).toHaveLength(2); // no match: asked again
    await w.say(chatId, 'what is your best offer?');

    expect(await reportOf(w, ref)).toMatchObject({ outcome: 'transferred' });
    const chat = await w.chats.get(w.tenantId, chatId);
    expect(chat?.task?.queue).toBe(serviceQueueScope('svc-sales'));
    expect((await w.received(chatId)).at(-1)).toBe('Welcome to Sales, Casey Customer.');
    const moved = await w.routing.tasks.get({
      tenantId: w.tenantId,
      queue: serviceQueueScope('svc-sales'),
      taskId: chat!.task!.id,
    });
    expect(moved).toMatchObject({ state: 'queued', transferredFromTaskId: ref.taskId, queue: { type: 'pickup' } });
  });

  it("Availability-based Routing and Get Available Users follow the agents' presence", async () => {
    const w = await worldWith(
      'wf-availability',
      [
        {
          id: 'count',
          kind: 'get-available-users',
          settings: { parameter: 'free' },
          exits: { available: 'route', none: 'route' },
        },
        {
          id: 'route',
          kind: 'availability-based-routing',
          settings: {},
          exits: { available: 'say-available', busy: 'say-busy', none: 'say-none' },
        },
        {
          id: 'say-available',
          kind: 'message',
          settings: { text: '{{param.free}} available' },
          exits: { next: 'bye' },
        },
        { id: 'say-busy', kind: 'message', settings: { text: 'all busy' }, exits: { next: 'bye' } },
        { id: 'say-none', kind: 'message', settings: { text: 'nobody active' }, exits: { next: 'bye' } },
        { id: 'bye', kind: 'disconnect', settings: {}, exits: {} },
      ],
      ['free'],
      { agents: 2, available: false },
    );
    expect(await w.received((await w.arrive()).chatId)).toEqual(['nobody active']);
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'busy');
    expect(await w.received((await w.arrive()).chatId)).toEqual(['all busy']);
    await w.routing.agents.setPresence(w.tenantId, 'agent-2', 'available');
    expect(await w.received((await w.arrive()).chatId)).toEqual(['1 available']);
  });

  it('Distribution Priority before Queue Task queues with that priority, ahead of older Normal tasks', async () => {
    const w = await worldWith(
      'wf-priority',
      [
        {
          id: 'copy',
          kind: 'save-to-parameter',
          settings: { parameter: 'first', value: '{{firstMessage}}' },
          exits: { next: 'vip' },
        },
        {
          id: 'vip',
          kind: 'check-parameter',
          settings: { parameter: 'first', operator: 'contains', value: 'urgent' },
          exits: { match: 'raise', 'no-match': 'queue' },
        },
        { id: 'raise', kind: 'distribution-priority', settings: { priority: 'high' }, exits: { next: 'queue' } },
        { id: 'queue', kind: 'queue-task', settings: { ringTimeoutSeconds: 20 }, exits: { next: 'position' } },
        { id: 'position', kind: 'get-queue-position', settings: {}, exits: { queued: 'tell', 'not-queued': null } },
        { id: 'tell', kind: 'message', settings: { text: 'Position {{queue.position}}' }, exits: { next: null } },
      ],
      ['first'],
      { agents: 1, available: false },
    );
    const normal = await w.arrive({ firstMessage: 'a question' });
    w.clock.advance(SEC);
    const urgent = await w.arrive({ firstMessage: 'URGENT please' });
    expect(await w.received(normal.chatId)).toEqual(['Position 1']);
    expect(await w.received(urgent.chatId)).toEqual(['Position 1']);
    expect((await w.routing.tasks.get(urgent.ref))?.queue?.priority).toBe('high');
    expect((await w.routing.tasks.position(normal.ref))?.position).toBe(2);
  });

  it('Cancel Task ends the session as cancelled and closes the chat', async () => {
    const w = await worldWith('wf-cancel', [
      { id: 'queue', kind: 'queue-task', settings: { distribution: 'pickup' }, exits: { next: 'sorry' } },
      {
        id: 'sorry',
        kind: 'message',
        settings: { text: 'Sorry, we have to close this request.' },
        exits: { next: 'cancel' },
      },
      { id: 'cancel', kind: 'cancel-task', settings: {}, exits: {} },
    ]);
    const { chatId, ref } = await w.arrive();
    expect(await w.received(chatId)).toEqual(['Sorry, we have to close this request.']);
    expect(await reportOf(w, ref)).toMatchObject({ outcome: 'cancelled' });
    expect((await w.chats.get(w.tenantId, chatId))?.endedBy).toBe('system');
  });

  it('stops when the customer leaves in the middle, and keeps the trace', async () => {
    const w = await worldWith('wf-leave', [
      { id: 'queue', kind: 'queue-task', settings: { distribution: 'pickup' }, exits: { next: 'wait' } },
      { id: 'wait', kind: 'delay', settings: { seconds: 30 }, exits: { next: 'hello' } },
      { id: 'hello', kind: 'message', settings: { text: 'Still with us?' }, exits: { next: 'wait' } },
    ]);
    const { chatId, ref } = await w.arrive();
    await w.advance(30 * SEC);
    expect(await w.received(chatId)).toEqual(['Still with us?']);
    await w.routing.tasks.customerLeft(ref);
    await w.settle();
    await w.advance(60 * SEC);
    expect(await w.received(chatId)).toEqual(['Still with us?']);
    expect(await w.workflows.runner.instance(ref)).toBeUndefined();
    const trace = await w.workflows.admin.trace(w.tenantId, ref.taskId);
    expect(trace.at(-1)).toMatchObject({ event: 'stopped', detail: 'the task ended' });
    expect(await w.store.timers.find(timerIds.workflow(w.tenantId, ref.taskId))).toBeUndefined();
  });

  it('a service without a workflow still gets its tasks to agents', async () => {
    const w = await world({ agents: 1 });
    const { ref } = await w.arrive();
    const task = await w.routing.tasks.get(ref);
    expect(task).toMatchObject({ state: 'queued', queue: { type: 'direct', priority: 'normal' } });
    expect(task?.offers.map((o) => o.userId)).toEqual(['agent-1']);
  });
});
