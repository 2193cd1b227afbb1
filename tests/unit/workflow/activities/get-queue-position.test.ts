import { getQueuePosition } from '../../../../bot/src/core/workflow/activities/get-queue-position';
import { activityUnder, enter, result } from '../activity-harness';

describe('Get Queue Position', () => {
  const run = activityUnder(getQueuePosition, { positionParameter: 'pos', estimatedWaitParameter: 'wait' });
  it('"queued": updates the queue fields and the parameters', () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'read-queue-position' } });
    expect(
      run(result({ kind: 'queue-position', position: { position: 2, queueLength: 5, estimatedWaitSeconds: 90 } })),
    ).toMatchObject({
      type: 'exit',
      exit: 'queued',
      params: { pos: '2', wait: '90' },
      facts: { queuePosition: 2, estimatedWaitSeconds: 90 },
    });
  });
  it('"not-queued" when the task is not in the queue', () => {
    expect(run(result({ kind: 'queue-position', position: null }))).toMatchObject({
      type: 'exit',
      exit: 'not-queued',
      facts: { queuePosition: null },
    });
  });
});
