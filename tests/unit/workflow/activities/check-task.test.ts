import { checkTask } from '../../../../bot/src/core/workflow/activities/check-task';
import { activityUnder, enter, result } from '../activity-harness';

describe('Check Task', () => {
  const run = activityUnder(checkTask, {});
  it.each(['queued', 'offered', 'not-queued'] as const)('leaves by "%s" in that state', (state) => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'read-task-state' } });
    expect(run(result({ kind: 'task-state', state }))).toEqual({ type: 'exit', exit: state });
  });
  it('ends the workflow once an agent has the task or it ended', () => {
    expect(run(result({ kind: 'task-state', state: 'connected' }))).toEqual({ type: 'stop', reason: 'connected' });
    expect(run(result({ kind: 'task-state', state: 'ended' }))).toEqual({ type: 'stop', reason: 'task-ended' });
  });
});
