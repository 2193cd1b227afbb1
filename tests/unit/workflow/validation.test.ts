import { type WebRequestConfig, defaultImWorkflow, validateWorkflow } from '../../../bot/src/core/workflow';
import { workflowOf } from './definitions';

const messages = (input: unknown, context?: Parameters<typeof validateWorkflow>[1]) => {
  const result = validateWorkflow(input, context);
  return result.ok ? [] : result.refusal.map((e) => e.message);
};

describe('workflow validation', () => {
  it('accepts the default IM workflow', () => {
    expect(validateWorkflow(defaultImWorkflow({ id: 'wf', tenantId: 't', unitId: 'u', calendarId: 'cal' })).ok).toBe(
      true,
    );
  });

  it('names the node with an unknown activity', () => {
    const wf = workflowOf([
      { id: 'hello', kind: 'message', settings: { text: 'Hi' }, exits: { next: 'beam' } },
      { id: 'beam', kind: 'teleport', settings: {}, exits: {} } as never,
    ]);
    expect(messages(wf)).toEqual(['Node "beam": unknown activity "teleport"']);
  });

  it('names the node and the setting when settings are invalid', () => {
    const wf = workflowOf([
      { id: 'pause', name: 'Short pause', kind: 'delay', settings: { seconds: 0 }, exits: { next: null } },
    ]);
    expect(messages(wf)).toEqual([expect.stringMatching(/^Node "Short pause" \(pause, Delay\): settings\.seconds: /)]);
  });

  it('requires a start node that exists', () => {
    const wf = workflowOf([{ id: 'a', kind: 'accept', settings: {}, exits: { next: null } }], { start: 'nope' });
    expect(messages(wf)).toContain('The start node "nope" does not exist');
  });

  it('requires every exit to be wired or explicitly ending, and no exit the activity does not have', () => {
    const wf = workflowOf(
      [
        {
          id: 'ask',
          kind: 'collect-information',
          settings: { prompt: 'Email?', parameter: 'email', format: 'email' },
          exits: { collected: null, invalid: null, oops: null },
        },
      ],
      { parameters: [{ name: 'email' }] },
    );
    expect(messages(wf)).toEqual([
      'Node "ask" (Collect Information): exit "timeout" is not wired; connect it to a node or set it to end the workflow',
      'Node "ask" (Collect Information): "oops" is not an exit of Collect Information; its exits are "collected", "invalid", "timeout"',
    ]);
  });

  it('refuses exits to nodes that do not exist, duplicate ids and unreachable nodes', () => {
    const wf = workflowOf([
      { id: 'a', kind: 'accept', settings: {}, exits: { next: 'ghost' } },
      { id: 'b', kind: 'accept', settings: {}, exits: { next: null } },
      { id: 'b', kind: 'accept', settings: {}, exits: { next: null } },
    ]);
    expect(messages(wf)).toEqual([
      'Node id "b" is used by more than one node',
      'Node "a" (Accept): exit "next" leads to "ghost", which is not a node of this workflow',
      'Node "b" (Accept) cannot be reached from the start node "a"',
    ]);
  });

  it('refuses a loop that can spin without waiting, naming its nodes', () => {
    const wf = workflowOf([
      {
        id: 'check',
        kind: 'check-task',
        settings: {},
        exits: { queued: 'tell', offered: 'check', 'not-queued': null },
      },
      { id: 'tell', kind: 'message', settings: { text: 'Still waiting' }, exits: { next: 'check' } },
    ]);
    expect(messages(wf)).toEqual([
      'Nodes "check", "tell" form a loop without a Delay or an activity that waits for the customer',
    ]);
  });

  it('accepts loops that pass a Delay, a customer question or a delayed message', () => {
    const viaDelay = workflowOf([
      { id: 'check', kind: 'check-task', settings: {}, exits: { queued: 'wait', offered: 'wait', 'not-queued': null } },
      { id: 'wait', kind: 'delay', settings: { seconds: 10 }, exits: { next: 'check' } },
    ]);
    const viaQuestion = workflowOf([
      {
        id: 'ask',
        kind: 'input-customer',
        settings: { prompt: 'Again?', choices: [{ exit: 'yes', label: 'Yes' }] },
        exits: { yes: 'ask', 'no-match': 'ask', timeout: null },
      },
    ]);
    const viaDelayedMessage = workflowOf([
      { id: 'nag', kind: 'message', settings: { text: 'Still there?', delaySeconds: 60 }, exits: { next: 'nag' } },
    ]);
    for (const wf of [viaDelay, viaQuestion, viaDelayedMessage]) expect(messages(wf)).toEqual([]);
  });

  it('refuses unknown placeholders and parameters the workflow does not declare', () => {
    const wf = workflowOf(
      [
        {
          id: 'hi',
          kind: 'message',
          settings: { text: 'Hi {{customer.nmae}}, order {{param.order}} {{param.known}}' },
          exits: { next: 'save' },
        },
        {
          id: 'save',
          kind: 'save-to-parameter',
          settings: { parameter: 'other', value: '{{date}}' },
          exits: { next: null },
        },
      ],
      { parameters: [{ name: 'known' }] },
    );
    expect(messages(wf)).toEqual([
      expect.stringMatching(/^Node "hi" \(Message\): unknown placeholder \{\{customer\.nmae\}\}/),
      'Node "hi" (Message): {{param.order}} names a parameter the workflow does not declare',
      'Node "save" (Save to Parameter): uses parameter "other", which the workflow does not declare',
    ]);
  });

  it('checks references to services, calendars and web requests when they are known', () => {
    const wf = workflowOf([
      {
        id: 'hours',
        kind: 'check-opening-hours',
        settings: { primaryCalendarId: 'cal-x' },
        exits: { open: 'crm', closed: null, 'special-day': null },
      },
      {
        id: 'crm',
        kind: 'web-request',
        settings: { webRequestId: 'wr-1' },
        exits: { success: 'move', failure: null, timeout: null },
      },
      {
        id: 'move',
        kind: 'transfer',
        settings: { target: { kind: 'service', serviceId: 'svc-gone' } },
        exits: { failed: null },
      },
    ]);
    const webRequest = {
      id: 'wr-1',
      tenantId: 't-1',
      type: 'webRequest',
      unitId: 'unit-1',
      name: 'CRM',
      method: 'GET',
      url: 'https://crm.example.com/c/{{param.customerId}}',
      headers: [],
      body: null,
      contentType: 'application/json',
      auth: { kind: 'none' },
      timeoutSeconds: 5,
      responseMappings: [{ path: '$.tier', parameter: 'tier' }],
    } satisfies WebRequestConfig;
    expect(
      messages(wf, {
        services: new Set(['svc-1']),
        calendars: new Set(['cal-office']),
        webRequests: new Map([['wr-1', webRequest]]),
      }),
    ).toEqual([
      'Node "hours" (Check Opening Hours): calendar "cal-x" does not exist',
      'Node "crm" (Web Request): web request "CRM" url: {{param.customerId}} names a parameter the workflow does not declare',
      'Node "crm" (Web Request): web request "CRM" responseMappings[0]: saves to parameter "tier", which the workflow does not declare',
      'Node "move" (Transfer): service "svc-gone" does not exist',
    ]);
    expect(messages(wf)).toEqual([]);
  });

  it('keeps activities Instant Messaging does not run valid: channel rules refuse them, by name', () => {
    const wf = workflowOf([{ id: 'music', kind: 'play-music', settings: { file: 'hold.mp3' }, exits: { next: null } }]);
    expect(messages(wf)).toEqual([]);
  });

  it('never throws on anything', () => {
    for (const junk of [null, 42, 'x', [], {}, { nodes: 'x' }, { nodes: [null, 1, { kind: 5 }] }])
      expect(validateWorkflow(junk).ok).toBe(false);
  });
});
