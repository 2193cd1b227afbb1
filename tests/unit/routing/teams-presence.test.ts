import type { Presence } from '../../../bot/src/core/model';
import {
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  effectivePresence,
  selectability,
  teamsLayer,
} from '../../../bot/src/core/routing';
import { loadConfig } from '../../../bot/src/config';
import { agentState, distribution, service, tenant, user } from '../../helpers/fixtures';

describe('Teams presence as a layer', () => {
  // [availability, activity, presence, blockedBy]
  const table: [string, string, Presence, 'call' | 'presenting' | null][] = [
    ['Available', 'Available', 'available', null],
    ['AvailableIdle', 'Available', 'available', null],
    ['Away', 'Away', 'away', null],
    ['BeRightBack', 'BeRightBack', 'away', null],
    ['Away', 'Inactive', 'away', null],
    ['Busy', 'Busy', 'busy', null],
    ['BusyIdle', 'Busy', 'busy', null],
    ['Busy', 'InAMeeting', 'busy', null],
    ['Available', 'InAMeeting', 'busy', null],
    ['Busy', 'InACall', 'busy', 'call'],
    ['Busy', 'InAConferenceCall', 'busy', 'call'],
    ['DoNotDisturb', 'Presenting', 'busy', 'presenting'],
    ['DoNotDisturb', 'DoNotDisturb', 'do-not-disturb', null],
    ['DoNotDisturb', 'UrgentInterruptionsOnly', 'do-not-disturb', null],
    ['Offline', 'Offline', 'offline', null],
    ['Offline', 'OffWork', 'offline', null],
    ['Available', 'OffWork', 'offline', null],
    ['PresenceUnknown', 'PresenceUnknown', 'offline', null],
    ['Offline', 'OutOfOffice', 'offline', null],
    ['Available', 'OutOfOffice', 'available', null],
    ['SomethingNew', 'Available', 'offline', null],
  ];
  it.each(table)('%s / %s is %s (blocked by %s)', (availability, activity, presence, blockedBy) => {
    expect(teamsLayer({ availability, activity })).toEqual({ presence, blockedBy });
  });

  it('knows every value Graph documents', () => {
    for (const availability of TEAMS_AVAILABILITIES)
      for (const activity of TEAMS_ACTIVITIES) expect(teamsLayer({ availability, activity }).presence).toBeDefined();
  });
});

describe('the effective presence: the more restrictive of the manual status and Teams', () => {
  const teams = (availability: string, activity: string) => ({ availability, activity, at: 1 });
  // [manual, Teams (availability, activity) or null, presence, blockedBy, source, why]
  const table: [
    Presence,
    [string, string] | null,
    Presence,
    'call' | 'presenting' | null,
    'manual' | 'teams',
    string,
  ][] = [
    ['available', null, 'available', null, 'manual', 'Your status is Available.'],
    ['away', null, 'away', null, 'manual', 'Your status is Away.'],
    ['available', ['Available', 'Available'], 'available', null, 'manual', 'Your status is Available, as in Teams.'],
    [
      'offline',
      ['Available', 'Available'],
      'offline',
      null,
      'manual',
      'Your manual status Offline wins over Teams (Available).',
    ],
    [
      'away',
      ['Available', 'Available'],
      'away',
      null,
      'manual',
      'Your manual status Away wins over Teams (Available).',
    ],
    [
      'available',
      ['Offline', 'Offline'],
      'offline',
      null,
      'teams',
      'Teams says you are Offline, which wins over your manual status Available.',
    ],
    [
      'available',
      ['Busy', 'InAMeeting'],
      'busy',
      null,
      'teams',
      'Teams says you are Busy, which wins over your manual status Available.',
    ],
    [
      'available',
      ['Busy', 'InACall'],
      'busy',
      'call',
      'teams',
      'Teams says you are in a call: no offers until it ends.',
    ],
    [
      'away',
      ['DoNotDisturb', 'Presenting'],
      'away',
      'presenting',
      'teams',
      'Teams says you are presenting: no offers until you stop.',
    ],
    // Nothing left to block: the manual status decides.
    ['offline', ['Busy', 'InACall'], 'offline', null, 'manual', 'Your manual status Offline wins over Teams (Busy).'],
    [
      'do-not-disturb',
      ['Away', 'Away'],
      'do-not-disturb',
      null,
      'manual',
      'Your manual status Do not disturb wins over Teams (Away).',
    ],
  ];
  it.each(table)('manual %s, Teams %j: %s', (manual, t, presence, blockedBy, source, why) => {
    expect(effectivePresence({ presence: manual, presenceChosen: true, teams: t ? teams(...t) : null })).toEqual({
      presence,
      blockedBy,
      source,
      why,
    });
  });

  // An agent who never chose a status: Teams alone decides, so they take chats without doing anything.
  it.each([
    [['Available', 'Available'], 'available', null, 'Your status follows Teams: Available.'],
    [['Away', 'Away'], 'away', null, 'Your status follows Teams: Away.'],
    [['Offline', 'Offline'], 'offline', null, 'Your status follows Teams: Offline.'],
    [['Busy', 'InACall'], 'busy', 'call', 'Teams says you are in a call: no offers until it ends.'],
  ] as const)('never chosen, Teams %j: %s', (t, presence, blockedBy, why) => {
    expect(effectivePresence({ presence: 'offline', teams: teams(t[0], t[1]) })).toEqual({
      presence,
      blockedBy,
      source: 'teams',
      why,
    });
  });

  it('treats a missing agent as Offline and a document without the field as manual only', () => {
    expect(effectivePresence(undefined)).toMatchObject({ presence: 'offline', source: 'manual' });
    expect(effectivePresence({ presence: 'available' })).toMatchObject({ presence: 'available', source: 'manual' });
  });
});

describe('selectability reads the effective presence', () => {
  const t = tenant('t1', { licenses: { imModality: { total: 1, assignees: ['u1'] } } });
  const u = user('t1', 'u1', { im: { enabled: true, maxConcurrentChats: null } });
  const svc = (busy: boolean) =>
    service('t1', 's1', {
      members: [{ userId: 'u1', active: true }],
      distribution: distribution({ selectableWhenBusy: busy }),
    });
  const check = (teams: [string, string] | null, busy = true) =>
    selectability({
      tenant: t,
      user: u,
      agent: agentState('t1', 'u1', {
        presence: 'available',
        reachable: true,
        teams: teams ? { availability: teams[0], activity: teams[1], at: 1 } : null,
      }),
      service: svc(busy),
      now: 10,
    });

  it('blocks a call and a presentation even where Busy users are selectable', () => {
    expect(check(['Busy', 'InACall'])).toMatchObject({ selectable: false, reason: 'teams-in-call' });
    expect(check(['Busy', 'InAConferenceCall'])).toMatchObject({ selectable: false, reason: 'teams-in-call' });
    expect(check(['DoNotDisturb', 'Presenting'])).toMatchObject({ selectable: false, reason: 'teams-presenting' });
  });

  it('applies the service setting to Busy in Teams, and Offline in Teams wins over manual Available', () => {
    expect(check(['Busy', 'InAMeeting'], true)).toMatchObject({ selectable: true });
    expect(check(['Busy', 'InAMeeting'], false)).toMatchObject({ selectable: false, reason: 'presence-busy' });
    expect(check(['Offline', 'Offline'])).toMatchObject({ selectable: false, reason: 'presence-offline' });
    expect(check(['Available', 'Available'])).toMatchObject({ selectable: true });
    expect(check(null)).toMatchObject({ selectable: true });
  });
});

describe('TEAMS_PRESENCE', () => {
  const mode = (env: Record<string, string>) => {
    const result = loadConfig({
      AUTH_MODE: 'botframework',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
      BOT_PASSWORD: 'secret',
      ...env,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return result.value.teamsPresence;
  };
  it('subscribes with an https public URL, polls otherwise, is off locally', () => {
    expect(mode({ PUBLIC_BASE_URL: 'https://cc.example.com' })).toEqual({ mode: 'subscribe', pollSeconds: 30 });
    expect(mode({})).toEqual({ mode: 'poll', pollSeconds: 30 });
    expect(mode({ PUBLIC_BASE_URL: 'http://cc.example.com' }).mode).toBe('poll');
    expect(mode({ PUBLIC_BASE_URL: 'https://localhost:3978', TEAMS_PRESENCE: 'subscribe' }).mode).toBe('poll');
    expect(mode({ PUBLIC_BASE_URL: 'https://cc.example.com', TEAMS_PRESENCE: 'off' }).mode).toBe('off');
    expect(mode({ TEAMS_PRESENCE_POLL_SECONDS: '0' }).pollSeconds).toBe(0);
    const local = loadConfig({ AUTH_MODE: 'local', TEAMS_PRESENCE: 'subscribe' });
    expect(local.ok && local.value.teamsPresence.mode).toBe('off');
    expect(loadConfig({ AUTH_MODE: 'local', TEAMS_PRESENCE: 'sometimes' }).ok).toBe(false);
  });
});
