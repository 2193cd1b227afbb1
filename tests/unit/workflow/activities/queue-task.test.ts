import { queueTask } from '../../../../bot/src/core/workflow/activities/queue-task';
import { activityUnder, enter, result } from '../activity-harness';

describe('Queue Task', () => {
  it('queues with the distribution type, priority and ring timeout, then goes on by "next"', () => {
    const run = activityUnder(queueTask, {
      distribution: 'broadcast',
      priority: 'strict',
      ringTimeoutSeconds: 20,
      broadcastSize: 3,
    });
    expect(run(enter)).toEqual({
      type: 'command',
      command: {
        kind: 'enqueue',
        settings: {
          priority: 'strict',
          type: 'broadcast',
          ringTimeoutSeconds: 20,
          broadcastSize: 3,
          maxQueueSeconds: null,
        },
      },
    });
    expect(run(result({ kind: 'enqueued', ok: true }))).toEqual({
      type: 'exit',
      exit: 'next',
      facts: { priority: 'strict' },
    });
  });
  it('without a priority of its own uses the one Distribution Priority set, else Normal', () => {
    expect(activityUnder(queueTask, {}, { facts: { priority: 'low' } })(enter)).toMatchObject({
      command: { settings: { priority: 'low', type: 'direct', ringTimeoutSeconds: 30 } },
    });
    expect(activityUnder(queueTask, {})(enter)).toMatchObject({ command: { settings: { priority: 'normal' } } });
  });
  it('ends the workflow when the task can no longer be queued', () => {
    expect(activityUnder(queueTask, {})(result({ kind: 'enqueued', ok: false }))).toMatchObject({ type: 'stop' });
  });
});
