import { chatLimit, selectability } from '../../../bot/src/core/routing';
import type { AgentState, Service, User } from '../../../bot/src/core/model';
import { serviceQueueScope } from '../../../bot/src/store/partition-keys';
import {
  agentState,
  distribution,
  service as serviceFixture,
  tenant as tenantFixture,
  user as userFixture,
} from '../../helpers/fixtures';

const T = 't';
const NOW = 1_000_000;
const slot = (taskId: string, kind: 'offer' | 'chat' | 'call') => ({
  taskId,
  queue: serviceQueueScope('svc'),
  kind,
  since: 0,
});

function check(over: {
  tenant?: object;
  user?: Partial<User> | null;
  agent?: Partial<AgentState> | null;
  service?: Partial<Service> | null;
  member?: { active: boolean } | null;
}) {
  const tenant = tenantFixture(T, { licenses: { imModality: { total: 5, assignees: ['u1'] } }, ...over.tenant });
  const user = over.user === null ? undefined : userFixture(T, 'u1', over.user ?? {});
  const agent = over.agent === null ? undefined : agentState(T, 'u1', over.agent ?? {});
  const members = over.member === null ? [] : [{ userId: 'u1', active: over.member?.active ?? true }];
  const service = over.service === null ? null : serviceFixture(T, 'svc', { members, ...over.service });
  return selectability({ tenant, user, agent, service, now: NOW });
}
const reason = (r: ReturnType<typeof selectability>) => (r.selectable ? 'selectable' : r.reason);

describe('who is selectable for a service task', () => {
  it.each([
    ['an available licensed member with free capacity', {}, 'selectable'],
    ['tenant IM disabled', { tenant: { imEnabled: false } }, 'tenant-im-disabled'],
    ['unknown user', { user: null }, 'unknown-user'],
    ['no IM modality license', { tenant: { licenses: { imModality: { total: 5, assignees: [] } } } }, 'no-im-license'],
    ['IM switched off for the user', { user: { im: { enabled: false, maxConcurrentChats: null } } }, 'im-disabled'],
    ['not a member', { member: null }, 'not-member'],
    ['inactive member', { member: { active: false } }, 'inactive-member'],
    ['never set a presence', { agent: null }, 'presence-offline'],
    ['Offline', { agent: { presence: 'offline' } }, 'presence-offline'],
    ['Do Not Disturb', { agent: { presence: 'do-not-disturb' } }, 'presence-do-not-disturb'],
    ['Busy, service does not allow it', { agent: { presence: 'busy' } }, 'presence-busy'],
    [
      'Busy, service allows it',
      {
        agent: { presence: 'busy' },
        service: { distribution: distribution({ selectableWhenBusy: true }) },
      },
      'selectable',
    ],
    ['Away, service does not allow it', { agent: { presence: 'away' } }, 'presence-away'],
    [
      'Away, service allows it',
      {
        agent: { presence: 'away' },
        service: { distribution: distribution({ selectableWhenAway: true }) },
      },
      'selectable',
    ],
    ['the bot cannot reach them (app not installed)', { agent: { reachable: false } }, 'app-not-installed'],
    [
      'not reachable and Offline: presence is said first',
      { agent: { reachable: false, presence: 'offline' } },
      'presence-offline',
    ],
    [
      'not reachable and in RONA: the installation is said first',
      { agent: { reachable: false, rona: { until: NOW + 1, reason: 'no-answer', taskId: 'x' } } },
      'app-not-installed',
    ],
    ['in RONA', { agent: { rona: { until: NOW + 1, reason: 'no-answer', taskId: 'x' } } }, 'rona'],
    ['RONA that has run out', { agent: { rona: { until: NOW, reason: 'declined', taskId: 'x' } } }, 'selectable'],
    ['a not-available reason', { agent: { notAvailableReason: 'Lunch' } }, 'not-available'],
    ['in an audio/video call', { agent: { slots: [slot('call-1', 'call')] } }, 'in-call'],
    [
      'at capacity with chats',
      { agent: { slots: [slot('a', 'chat'), slot('b', 'chat'), slot('c', 'chat')] } },
      'at-capacity',
    ],
    [
      'at capacity counting pending offers',
      { agent: { slots: [slot('a', 'chat'), slot('b', 'offer'), slot('c', 'offer')] } },
      'at-capacity',
    ],
  ] as const)('%s → %s', (_name, over, expected) => {
    expect(reason(check(over as Parameters<typeof check>[0]))).toBe(expected);
  });

  it('reports the first failing layer with a message to show', () => {
    expect(check({ member: null, agent: { presence: 'offline' } })).toEqual({
      selectable: false,
      reason: 'not-member',
      message: 'The user is not a member of the service.',
    });
  });

  it('a chat below capacity does not block; free chats are counted', () => {
    expect(check({ agent: { slots: [slot('a', 'chat')] } })).toEqual({ selectable: true, freeChats: 2 });
  });

  it('uses the user limit over the service limit, and 3 by default', () => {
    const u = userFixture(T, 'u1', { im: { enabled: true, maxConcurrentChats: 1 } });
    expect(chatLimit(u, serviceFixture(T, 'svc'))).toBe(1);
    expect(
      chatLimit(
        userFixture(T, 'u2'),
        serviceFixture(T, 'svc', { distribution: distribution({ maxConcurrentChatsPerUser: 5 }) }),
      ),
    ).toBe(5);
    expect(chatLimit(userFixture(T, 'u2'), null)).toBe(3);
    expect(
      reason(check({ user: { im: { enabled: true, maxConcurrentChats: 1 } }, agent: { slots: [slot('a', 'chat')] } })),
    ).toBe('at-capacity');
  });

  it('a direct contact needs no membership, but Busy and Away are not selectable', () => {
    expect(reason(check({ service: null, member: null }))).toBe('selectable');
    expect(reason(check({ service: null, agent: { presence: 'busy' } }))).toBe('presence-busy');
  });
});

describe('the app-not-installed reason', () => {
  it('explains why the bot cannot offer chats', () => {
    const result = check({ agent: { reachable: false } });
    expect(result).toEqual({
      selectable: false,
      reason: 'app-not-installed',
      message: 'The agent has not installed the app in Teams, so the bot cannot offer them chats.',
    });
  });
});
