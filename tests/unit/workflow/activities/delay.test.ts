import { delay } from '../../../../bot/src/core/workflow/activities/delay';
import { activityUnder, enter, timeout } from '../activity-harness';

describe('Delay', () => {
  const run = activityUnder(delay, { seconds: 45 });
  it('waits on a timer (not for the customer) and leaves by "next" when it fires', () => {
    expect(run(enter)).toEqual({ type: 'wait', forCustomer: false, timeoutMs: 45_000, afterSeq: null });
    expect(run(timeout)).toEqual({ type: 'exit', exit: 'next' });
  });
  it('counts as waiting for the loop rule, and refuses a zero delay', () => {
    expect(delay.waits({ seconds: 1 })).toBe(true);
    expect(delay.settings.safeParse({ seconds: 0 }).success).toBe(false);
  });
});
