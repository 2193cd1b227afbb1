import { disconnect } from '../../../../bot/src/core/workflow/activities/disconnect';
import { activityUnder, enter, result } from '../activity-harness';

describe('Disconnect', () => {
  const run = activityUnder(disconnect, {});
  it('ends the session as handled by the system, and the workflow with it', () => {
    expect(run(enter)).toEqual({
      type: 'command',
      command: { kind: 'end-session', outcome: 'handled-by-system', reason: 'Disconnect' },
    });
    expect(run(result({ kind: 'ended' }))).toEqual({ type: 'stop', reason: 'disconnected' });
  });
  it('has no exits', () => {
    expect(disconnect.exits({})).toEqual([]);
  });
});
