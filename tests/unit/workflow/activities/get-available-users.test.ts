import { getAvailableUsers } from '../../../../bot/src/core/workflow/activities/get-available-users';
import { activityUnder, enter, result } from '../activity-harness';

describe('Get Available Users', () => {
  const run = activityUnder(getAvailableUsers, { parameter: 'free' });
  it('reads the availability and saves the count: "available"', () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'read-availability', serviceId: null } });
    expect(
      run(
        result({
          kind: 'availability',
          availability: { available: 2, busy: 1, inactive: 0, availableUserIds: ['a', 'b'] },
        }),
      ),
    ).toMatchObject({ type: 'exit', exit: 'available', params: { free: '2' } });
  });
  it('"none" when nobody can take a task', () => {
    expect(
      run(result({ kind: 'availability', availability: { available: 0, busy: 1, inactive: 0, availableUserIds: [] } })),
    ).toMatchObject({ type: 'exit', exit: 'none', params: { free: '0' } });
    expect(activityUnder(getAvailableUsers, {})(result({ kind: 'availability', availability: null }))).toMatchObject({
      type: 'exit',
      exit: 'none',
      params: {},
    });
  });
});
