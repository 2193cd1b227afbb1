import { cancelTask } from '../../../../bot/src/core/workflow/activities/cancel-task';
import { activityUnder, enter, result } from '../activity-harness';

describe('Cancel Task', () => {
  const run = activityUnder(cancelTask, {});
  it('ends the task as "cancelled" and the workflow with it', () => {
    expect(run(enter)).toEqual({
      type: 'command',
      command: { kind: 'end-session', outcome: 'cancelled', reason: 'Cancel Task' },
    });
    expect(run(result({ kind: 'ended' }))).toEqual({ type: 'stop', reason: 'cancelled' });
    expect(cancelTask.exits({})).toEqual([]);
  });
});
