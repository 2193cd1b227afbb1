import { accept } from '../../../../bot/src/core/workflow/activities/accept';
import { activityUnder, enter, result } from '../activity-harness';

describe('Accept', () => {
  const run = activityUnder(accept, {});
  it('takes the conversation in, then leaves by "next"', () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'accept' } });
    expect(run(result({ kind: 'done' }))).toEqual({ type: 'exit', exit: 'next' });
  });
  it('has the one exit "next"', () => {
    expect(accept.exits({})).toEqual(['next']);
  });
});
