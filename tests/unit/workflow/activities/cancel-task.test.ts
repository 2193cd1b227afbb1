import { cancelTask } from '../../../../bot/src/core/workflow/activities/cancel-task';
import { activityUnder, endsSession, enter, result } from '../activity-harness';

describe('Cancel Task', () => {
  const run = activityUnder(cancelTask, {});
  it('ends the task as "cancelled" and the workflow with it', () => {
    expect(run(enter)).toEqual(endsSession('cancelled', 'Cancel Task'));
    expect(run(result({ kind: 'ended' }))).toEqual({ type: 'stop', reason: 'cancelled' });
    expect(cancelTask.exits({})).toEqual([]);
  });
});
