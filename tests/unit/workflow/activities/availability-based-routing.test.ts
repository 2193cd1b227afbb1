import { availabilityBasedRouting } from '../../../../bot/src/core/workflow/activities/availability-based-routing';
import { activityUnder, enter, result } from '../activity-harness';

const counts = (available: number, busy: number, inactive: number) => ({
  kind: 'availability' as const,
  availability: { available, busy, inactive, availableUserIds: [] },
});

describe('Availability-based Routing', () => {
  const run = activityUnder(availabilityBasedRouting, { serviceId: 'svc-2' });
  it("reads the availability of the target service (null: the task's own)", () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'read-availability', serviceId: 'svc-2' } });
    expect(activityUnder(availabilityBasedRouting, {})(enter)).toEqual({
      type: 'command',
      command: { kind: 'read-availability', serviceId: null },
    });
  });
  it('"available" when someone can take the task', () => {
    expect(run(result(counts(1, 3, 0)))).toMatchObject({ type: 'exit', exit: 'available' });
  });
  it('"busy" when everyone signed in is occupied', () => {
    expect(run(result(counts(0, 2, 5)))).toMatchObject({ type: 'exit', exit: 'busy' });
  });
  it('"none" when nobody is active, or the service is gone', () => {
    expect(run(result(counts(0, 0, 4)))).toMatchObject({ type: 'exit', exit: 'none' });
    expect(run(result({ kind: 'availability', availability: null }))).toMatchObject({ type: 'exit', exit: 'none' });
  });
});
