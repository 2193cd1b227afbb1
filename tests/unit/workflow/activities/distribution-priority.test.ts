import { distributionPriority } from '../../../../bot/src/core/workflow/activities/distribution-priority';
import { activityUnder, enter, result } from '../activity-harness';

describe('Distribution Priority', () => {
  const run = activityUnder(distributionPriority, { priority: 'high' });
  it('sets the priority and remembers it for a later Queue Task; leaves by "next"', () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'set-priority', priority: 'high' } });
    expect(run(result({ kind: 'priority-set', queued: true }))).toMatchObject({
      type: 'exit',
      exit: 'next',
      facts: { priority: 'high' },
    });
    expect(run(result({ kind: 'priority-set', queued: false }))).toMatchObject({
      type: 'exit',
      exit: 'next',
      facts: { priority: 'high' },
    });
  });
});
