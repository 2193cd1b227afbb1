import { availabilityExit, serviceAvailability } from '../../../bot/src/core/workflow';
import { agentState, service, tenant, user } from '../../helpers/fixtures';

describe('service availability', () => {
  const t = tenant('t', { licenses: { imModality: { total: 10, assignees: ['a', 'b', 'c', 'd', 'e'] } } });
  const members = ['a', 'b', 'c', 'd', 'e'].map((userId) => ({ userId, active: true }));
  const svc = service('t', 's', { members });
  const users = ['a', 'b', 'c', 'd', 'e'].map((id) => user('t', id));

  it('counts members who can take a task, who are occupied, and who are not active', () => {
    const agents = [
      agentState('t', 'a', { presence: 'available' }),
      agentState('t', 'b', { presence: 'busy' }),
      agentState('t', 'c', { presence: 'available', rona: { until: 10_000, reason: 'no-answer', taskId: 'x' } }),
      agentState('t', 'd', { presence: 'offline' }),
    ];
    expect(serviceAvailability({ tenant: t, service: svc, users, agents, now: 0 })).toEqual({
      available: 1,
      busy: 2,
      inactive: 2,
      availableUserIds: ['a'],
    });
  });

  it('gives the exits of Availability-based Routing', () => {
    expect(availabilityExit({ available: 1, busy: 0, inactive: 0, availableUserIds: ['a'] })).toBe('available');
    expect(availabilityExit({ available: 0, busy: 1, inactive: 3, availableUserIds: [] })).toBe('busy');
    expect(availabilityExit({ available: 0, busy: 0, inactive: 3, availableUserIds: [] })).toBe('none');
  });
});
