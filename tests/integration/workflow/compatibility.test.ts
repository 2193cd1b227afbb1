import type { WorkflowDefinitionInput, WorkflowNodeInput } from '../../../bot/src/core/workflow';
import { worldsOnSharedCosmos } from '../../helpers/store';
import { type WorkflowWorld, createWorkflowWorld } from './harness';

const world = worldsOnSharedCosmos(createWorkflowWorld);

const workflow = (w: WorkflowWorld, nodes: WorkflowNodeInput[]): WorkflowDefinitionInput => ({
  id: 'wf-1',
  tenantId: w.tenantId,
  type: 'workflow',
  unitId: 'unit-1',
  name: 'Support',
  start: nodes[0]!.id,
  nodes,
});

const welcome: WorkflowNodeInput = {
  id: 'welcome',
  kind: 'message',
  settings: { text: 'Welcome.' },
  exits: { next: 'queue' },
};
const queue: WorkflowNodeInput = {
  id: 'queue',
  kind: 'queue-task',
  settings: { distribution: 'pickup' },
  exits: { next: null },
};

describe('activity × channel rules for IM workflows', () => {
  it('a service refuses a workflow with activities its IM channels do not support, naming them', async () => {
    const w = await world({
      service: { im: { enabled: true, channels: { interact: false, whatsapp: true }, workflowId: null } },
    });
    const saved = await w.workflows.admin.save(
      workflow(w, [
        { ...welcome, exits: { next: 'music' } },
        {
          id: 'music',
          name: 'Hold music',
          kind: 'play-music',
          settings: { file: 'hold.mp3' },
          exits: { next: 'to-alex' },
        },
        {
          id: 'to-alex',
          name: 'To Alex',
          kind: 'transfer',
          settings: { target: { kind: 'user', userId: 'agent-1' } },
          exits: { failed: 'queue' },
        },
        queue,
      ]),
    );
    expect(saved.ok).toBe(true);
    const selected = await w.workflows.admin.select(w.tenantId, w.serviceId, 'wf-1');
    expect(selected).toMatchObject({ ok: false, refusal: { code: 'unsupported-activities' } });
    if (selected.ok) return;
    expect(selected.refusal.message).toBe(
      'The workflow "Support" cannot be used for Instant Messaging by Service B: Play Music "Hold music" is not supported on WhatsApp; Transfer "To Alex" transfers to a user; on WhatsApp a transfer can only go to a service.',
    );
    expect((await w.store.repos.services.get(w.tenantId, w.serviceId)).im.workflowId).toBeNull();
  });

  it('takes Web Request on WhatsApp, which this product supports beyond the published table', async () => {
    const w = await world({
      service: { im: { enabled: true, channels: { interact: true, whatsapp: true }, workflowId: null } },
    });
    await w.workflows.admin.saveWebRequest({
      id: 'wr-1',
      tenantId: w.tenantId,
      type: 'webRequest',
      unitId: 'unit-1',
      name: 'CRM',
      method: 'GET',
      url: 'https://crm.example.com/ping',
    });
    await w.useWorkflow(
      workflow(w, [
        {
          id: 'crm',
          kind: 'web-request',
          settings: { webRequestId: 'wr-1' },
          exits: { success: 'queue', failure: 'queue', timeout: 'queue' },
        },
        queue,
      ]),
    );
    expect((await w.store.repos.services.get(w.tenantId, w.serviceId)).im.workflowId).toBe('wf-1');
  });

  it('an edit that adds an unsupported activity to a workflow in use is warned about; a task reaching it ends "failed"', async () => {
    const w = await world();
    await w.useWorkflow(workflow(w, [welcome, queue]));
    const edited = await w.workflows.admin.save(
      workflow(w, [
        { ...welcome, exits: { next: 'music' } },
        { id: 'music', name: 'Hold music', kind: 'play-music', settings: {}, exits: { next: 'queue' } },
        queue,
      ]),
    );
    expect(edited).toMatchObject({
      ok: true,
      value: {
        workflow: { version: 2 },
        warnings: [{ code: 'unsupported-in-use', serviceId: w.serviceId, serviceName: 'Service B' }],
      },
    });
    if (!edited.ok) return;
    expect(edited.value.warnings[0]!.message).toContain('Play Music "Hold music" is not supported on Interact');
    expect(edited.value.warnings[0]!.message).toContain('will end with the outcome "failed"');

    const { chatId, ref } = await w.arrive();
    expect(await w.received(chatId)).toEqual(['Welcome.']);
    expect(await w.store.repos.taskReports.get(w.tenantId, ref.taskId, ref.queue)).toMatchObject({ outcome: 'failed' });
    expect((await w.chats.get(w.tenantId, chatId))?.state).toBe('ended');
    expect(await w.workflows.runner.instance(ref)).toBeUndefined();
    const trace = await w.workflows.admin.trace(w.tenantId, ref.taskId);
    expect(trace.find((e) => e.event === 'failed')).toMatchObject({
      nodeId: 'music',
      activity: 'play-music',
      detail: 'Play Music "Hold music" is not supported on Interact',
    });
    expect(trace.at(-1)).toMatchObject({ event: 'ended', detail: 'failed' });
  });

  it('a workflow deleted while a task runs it ends that task "failed", not hanging', async () => {
    const w = await world();
    await w.useWorkflow(
      workflow(w, [{ id: 'wait', kind: 'delay', settings: { seconds: 10 }, exits: { next: 'queue' } }, queue]),
    );
    const { ref } = await w.arrive();
    await w.workflows.repos.workflows.delete(w.tenantId, 'wf-1');
    await w.advance(10_000);
    expect(await w.store.repos.taskReports.get(w.tenantId, ref.taskId, ref.queue)).toMatchObject({ outcome: 'failed' });
  });

  it('refuses to save an invalid workflow with errors that name the nodes', async () => {
    const w = await world();
    const saved = await w.workflows.admin.save(
      workflow(w, [
        {
          id: 'hours',
          kind: 'check-opening-hours',
          settings: { primaryCalendarId: 'cal-missing' },
          exits: { open: null, closed: null },
        },
      ]),
    );
    expect(saved).toEqual({
      ok: false,
      refusal: [
        {
          code: 'unwired-exit',
          nodeId: 'hours',
          message:
            'Node "hours" (Check Opening Hours): exit "special-day" is not wired; connect it to a node or set it to end the workflow',
        },
        {
          code: 'unknown-reference',
          nodeId: 'hours',
          message: 'Node "hours" (Check Opening Hours): calendar "cal-missing" does not exist',
        },
      ],
    });
  });
});
