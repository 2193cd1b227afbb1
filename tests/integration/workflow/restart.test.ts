import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowDefinitionInput } from '../../../bot/src/core/workflow';
import { type Store, openStore } from '../../../bot/src/store';
import { SEC, type WorkflowWorld, createWorkflowWorld, reopenWorld } from './harness';

const workflow = (
  w: WorkflowWorld,
  nodes: WorkflowDefinitionInput['nodes'],
  parameters: string[] = [],
): WorkflowDefinitionInput => ({
  id: 'wf-restart',
  tenantId: w.tenantId,
  type: 'workflow',
  unitId: 'unit-1',
  name: 'Restart',
  start: nodes[0]!.id,
  parameters: parameters.map((name) => ({ name })),
  nodes,
});

/**
 * A world that uses a workflow of these nodes, and a real restart: the embedded store saves its snapshot
 * on close and a new store restores it; new routing, chats and runner are built on it, on the same
 * (manual) time line. `afterRestart` hands them to its steps and closes them after.
 */
async function restartable(nodes: WorkflowDefinitionInput['nodes'], parameters: string[] = []) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-wf-restart-'));
  const open = () => openStore({ kind: 'embedded', database: 'cc', dataDir, saveIntervalMs: 0 });
  const first = await open();
  const before = await createWorkflowWorld(first);
  await before.useWorkflow(workflow(before, nodes, parameters));
  return {
    before,
    async afterRestart(steps: (after: WorkflowWorld, store: Store) => Promise<void>): Promise<void> {
      await before.close();
      await first.close();
      const store = await open();
      const after = reopenWorld(store, before);
      try {
        await steps(after, store);
      } finally {
        await after.close();
        await store.close();
      }
    },
  };
}

describe('workflows across a restart', () => {
  it('a Delay in progress fires once, at its due time, after the restart', async () => {
    const { before, afterRestart } = await restartable([
      { id: 'hi', kind: 'message', settings: { text: 'One moment please.' }, exits: { next: 'wait' } },
      { id: 'wait', kind: 'delay', settings: { seconds: 60 }, exits: { next: 'back' } },
      { id: 'back', kind: 'message', settings: { text: 'Thanks for waiting.' }, exits: { next: 'queue' } },
      { id: 'queue', kind: 'queue-task', settings: { distribution: 'pickup' }, exits: { next: null } },
    ]);
    const { chatId, ref } = await before.arrive();
    await before.advance(30 * SEC);
    expect(await before.received(chatId)).toEqual(['One moment please.']);

    await afterRestart(async (after) => {
      await after.advance(29 * SEC);
      expect(await after.received(chatId)).toEqual(['One moment please.']);
      await after.advance(1 * SEC);
      expect(await after.received(chatId)).toEqual(['One moment please.', 'Thanks for waiting.']);
      await after.advance(60 * SEC);
      expect(await after.received(chatId)).toEqual(['One moment please.', 'Thanks for waiting.']);
      expect((await after.routing.tasks.get(ref))?.state).toBe('queued');
      const trace = await after.workflows.admin.trace(after.tenantId, ref.taskId);
      expect(trace.map((e) => e.seq)).toEqual(trace.map((_, i) => i + 1));
    });
  });

  it('a Collect Information in progress takes the answer the customer gives after the restart', async () => {
    const { before, afterRestart } = await restartable(
      [
        {
          id: 'ask',
          kind: 'collect-information',
          settings: { prompt: 'Your phone number?', parameter: 'phone', format: 'phone', timeoutSeconds: 300 },
          exits: { collected: 'thanks', invalid: null, timeout: null },
        },
        { id: 'thanks', kind: 'message', settings: { text: 'We will call {{param.phone}}.' }, exits: { next: null } },
      ],
      ['phone'],
    );
    const { chatId, ref } = await before.arrive();
    expect(await before.received(chatId)).toEqual(['Your phone number?']);

    await afterRestart(async (after) => {
      await after.say(chatId, '+41 44 123 45 67');
      expect(await after.received(chatId)).toEqual(['Your phone number?', 'We will call +41441234567.']);
      expect(await after.store.repos.taskReports.get(after.tenantId, ref.taskId, ref.queue)).toMatchObject({
        outcome: 'handled-by-system',
      });
    });
  });

  it('an answer given while no process listened is found in the chat log, not lost to the timeout', async () => {
    const { before, afterRestart } = await restartable(
      [
        {
          id: 'ask',
          kind: 'collect-information',
          settings: { prompt: 'Your order number?', parameter: 'order', format: 'number', timeoutSeconds: 60 },
          exits: { collected: 'thanks', invalid: null, timeout: 'late' },
        },
        { id: 'thanks', kind: 'message', settings: { text: 'Order {{param.order}} noted.' }, exits: { next: null } },
        { id: 'late', kind: 'message', settings: { text: 'Too late.' }, exits: { next: null } },
      ],
      ['order'],
    );
    const { chatId } = await before.arrive();
    await afterRestart(async (after, store) => {
      // Written to the log by a process without a runner (the widget API of another instance, say).
      await after.workflows.runner.stop();
      await after.chats.postMessage(after.tenantId, chatId, 'customer', 'Casey', '4711');
      const resumed = reopenWorld(store, after);
      await resumed.advance(60 * SEC);
      expect(await resumed.received(chatId)).toEqual(['Your order number?', 'Order 4711 noted.']);
      await resumed.close();
    });
  });
});
