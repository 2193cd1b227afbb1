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
  it('"unchanged" when asked for and the position is the one read last time', () => {
    const at = (last: number | null) =>
      activityUnder(
        getQueuePosition,
        { unchangedExit: true },
        { facts: { queuePosition: last } },
      )(result({ kind: 'queue-position', position: { position: 2, queueLength: 3, estimatedWaitSeconds: null } }));
    expect(at(2)).toMatchObject({ type: 'exit', exit: 'unchanged', facts: { queuePosition: 2 } });
    expect(at(3)).toMatchObject({ type: 'exit', exit: 'queued', facts: { queuePosition: 2 } });
    expect(at(null)).toMatchObject({ type: 'exit', exit: 'queued' });
    expect(getQueuePosition.exits(getQueuePosition.settings.parse({ unchangedExit: true }))).toContain('unchanged');
    expect(getQueuePosition.exits(getQueuePosition.settings.parse({}))).not.toContain('unchanged');
  });
});
