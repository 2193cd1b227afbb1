import { disconnect } from '../../../../bot/src/core/workflow/activities/disconnect';
import { activityUnder, endsSession, enter, result } from '../activity-harness';

describe('Disconnect', () => {
  const run = activityUnder(disconnect, {});
  it('ends the session as handled by the system, and the workflow with it', () => {
    expect(run(enter)).toEqual(endsSession('handled-by-system', 'Disconnect'));
    expect(run(result({ kind: 'ended' }))).toEqual({ type: 'stop', reason: 'disconnected' });
  });
  it('has no exits', () => {
    expect(disconnect.exits({})).toEqual([]);
  });
});
