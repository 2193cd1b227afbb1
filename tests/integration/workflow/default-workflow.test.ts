import { AGENTS_SCOPE, timerIds } from '../../../bot/src/store/partition-keys';
import { defaultImWorkflow } from '../../../bot/src/core/workflow';
import { worldsOnSharedCosmos } from '../../helpers/store';
import { SEC, type WorkflowWorld, createWorkflowWorld } from './harness';

const world = worldsOnSharedCosmos(createWorkflowWorld);

const withDefaultWorkflow = async (w: WorkflowWorld) => {
  const calendar = await w.saveCalendar();
  await w.useWorkflow(
    defaultImWorkflow({
      id: 'wf-default',
      tenantId: w.tenantId,
      unitId: 'unit-1',
      calendarId: calendar.id,
      updateEverySeconds: 20,
    }),
  );
};

describe('the default IM workflow of the demo service', () => {
  it('welcomes the customer, tells their place in the queue until an agent accepts, then stops', async () => {
    const w = await world({ agents: 1, available: false });
    await withDefaultWorkflow(w);

    const first = await w.arrive({ name: 'Casey Customer' });
    w.clock.advance(SEC);
    const second = await w.arrive({ name: 'Robin Reader' });
    expect(await w.received(first.chatId)).toEqual(['Hello Casey Customer, welcome to Service B.']);
    expect((await w.routing.tasks.get(first.ref))?.state).toBe('queued');
    const chat = await w.chats.get(w.tenantId, first.chatId);
    expect(chat?.task).toEqual({ id: first.ref.taskId, queue: first.ref.queue });

    await w.advance(20 * SEC);
    expect(await w.received(first.chatId)).toEqual([
      'Hello Casey Customer, welcome to Service B.',
      'You are number 1 in the queue. Thank you for waiting.',
    ]);
    expect((await w.received(second.chatId)).at(-1)).toBe('You are number 2 in the queue. Thank you for waiting.');

    // The agent comes online; the first task is offered and accepted.
    await w.routing.agents.setPresence(w.tenantId, 'agent-1', 'available');
    await w.settle();
    const offer = (await w.routing.tasks.get(first.ref))!.offers.find((o) => o.state === 'pending')!;
    expect(offer.userId).toBe('agent-1');
    await w.advance(20 * SEC); // while it rings (30 s), the customer is not told a position
    expect(await w.received(first.chatId)).toHaveLength(2);
    const accepted = await w.routing.tasks.accept(first.ref, offer.id, 'agent-1');
    expect(accepted.ok).toBe(true);
    await w.settle();

    expect(await w.workflows.runner.instance(first.ref)).toBeUndefined();
    await w.advance(120 * SEC);
    expect(await w.received(first.chatId)).toHaveLength(2);
    const trace = await w.workflows.runner.trace(w.tenantId, first.ref.taskId);
    expect(trace[0]).toMatchObject({ seq: 1, event: 'started' });
    expect(trace.at(-1)).toMatchObject({ event: 'stopped', detail: 'an agent accepted the task' });
    expect(trace.map((e) => e.seq)).toEqual(trace.map((_, i) => i + 1));
    expect(trace.filter((e) => e.event === 'entered').map((e) => e.nodeId)).toEqual(
      expect.arrayContaining([
        'accept',
        'welcome',
        'opening-hours',
        'queue',
        'wait',
        'check-task',
        'position',
        'tell-position',
      ]),
    );

    // The second customer goes on being told their place, now first.
    await w.advance(20 * SEC);
    expect((await w.received(second.chatId)).at(-1)).toBe('You are number 1 in the queue. Thank you for waiting.');
    expect((await w.store.repos.agents.get(w.tenantId, 'agent-1', AGENTS_SCOPE)).slots).toMatchObject([
      { taskId: first.ref.taskId, kind: 'chat' },
    ]);
  });

  it('tells the customer their place again only when it changed', async () => {
    const w = await world({ agents: 1, available: false });
    await withDefaultWorkflow(w);
    const first = await w.arrive({ name: 'Casey Customer' });
    w.clock.advance(SEC);
    const second = await w.arrive({ name: 'Robin Reader' });
    const positions = async (chatId: string) =>
      (await w.received(chatId)).filter((m) => m.startsWith('You are number'));

    for (let i = 0; i < 4; i++) await w.advance(20 * SEC);
    expect(await positions(second.chatId)).toEqual(['You are number 2 in the queue. Thank you for waiting.']);

    // The customer ahead leaves: the second one moves up and hears it once.
    expect((await w.routing.tasks.customerLeft(first.ref)).ok).toBe(true);
    for (let i = 0; i < 3; i++) await w.advance(20 * SEC);
    expect(await positions(second.chatId)).toEqual([
      'You are number 2 in the queue. Thank you for waiting.',
      'You are number 1 in the queue. Thank you for waiting.',
    ]);
  });

  it('outside opening hours says so and disconnects: the session is handled by the system', async () => {
    const w = await world({ now: Date.UTC(2026, 0, 10, 12, 0, 0) }); // a Saturday
    await withDefaultWorkflow(w);
    const { chatId, ref } = await w.arrive();
    expect(await w.received(chatId)).toEqual([
      'Hello Casey Customer, welcome to Service B.',
      'We are closed right now. Please contact us again during our opening hours.',
    ]);
    expect((await w.chats.get(w.tenantId, chatId))?.state).toBe('ended');
    expect(await w.store.repos.taskReports.get(w.tenantId, ref.taskId, ref.queue)).toMatchObject({
      outcome: 'handled-by-system',
    });
    expect(await w.workflows.runner.instance(ref)).toBeUndefined();
    expect(await w.store.timers.find(timerIds.workflow(w.tenantId, ref.taskId))).toBeUndefined();
  });
});
