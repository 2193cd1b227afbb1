import {
  type EngineInput,
  type EngineState,
  MAX_ACTIVITIES_PER_STEP,
  type StepEnv,
  type WorkflowNodeInput,
  WorkflowDefinition,
  initialState,
  step,
} from '../../../bot/src/core/workflow';
import { FACTS, NOW } from './activity-harness';
import { workflowOf } from './definitions';

const env = (overrides: Partial<StepEnv> = {}): StepEnv => ({
  now: NOW,
  channel: 'interact',
  facts: FACTS,
  ...overrides,
});
const define = (nodes: WorkflowNodeInput[], parameters: { name: string }[] = []) =>
  WorkflowDefinition.parse(workflowOf(nodes, { parameters }));

describe('workflow engine', () => {
  const wf = define(
    [
      {
        id: 'save',
        kind: 'save-to-parameter',
        settings: { parameter: 'topic', value: 'billing' },
        exits: { next: 'hello' },
      },
      { id: 'hello', kind: 'message', settings: { text: 'About {{param.topic}}' }, exits: { next: 'ask' } },
      {
        id: 'ask',
        kind: 'collect-information',
        settings: { prompt: 'Order number?', parameter: 'order', format: 'number', retries: 0, timeoutSeconds: 60 },
        exits: { collected: 'done', invalid: null, timeout: null },
      },
      { id: 'done', kind: 'message', settings: { text: 'Thanks for {{param.order}}' }, exits: { next: null } },
    ],
    [{ name: 'topic' }, { name: 'order' }],
  );

  it('runs until a command is needed, then goes on with its result', () => {
    const first = step(wf, initialState(wf), { kind: 'start' }, env());
    expect(first.outcome).toEqual({
      kind: 'command',
      token: '1',
      command: { kind: 'send-message', text: 'About billing' },
    });
    expect(first.state).toMatchObject({ nodeId: 'hello', params: { topic: 'billing' }, pending: { token: '1' } });
    expect(first.trace.map((t) => `${t.nodeId}:${t.event}`)).toEqual([
      'save:entered',
      'save:exit',
      'hello:entered',
      'hello:command',
    ]);

    const second = step(wf, first.state, { kind: 'result', token: '1', result: { kind: 'sent', seq: 3 } }, env());
    expect(second.outcome).toMatchObject({ kind: 'command', command: { kind: 'send-message', text: 'Order number?' } });
    const third = step(
      wf,
      second.state,
      { kind: 'result', token: second.state.pending!.token, result: { kind: 'sent', seq: 4 } },
      env(),
    );
    expect(third.outcome).toEqual({ kind: 'waiting', token: '3', until: NOW + 60_000, forCustomer: true });
    expect(third.state.wait).toEqual({ token: '3', until: NOW + 60_000, forCustomer: true, afterSeq: 4 });
  });

  const waitingForOrder = (): EngineState => {
    let s = initialState(wf);
    let r = step(wf, s, { kind: 'start' }, env());
    for (let seq = 3; r.outcome.kind === 'command'; seq++) {
      s = r.state;
      r = step(wf, s, { kind: 'result', token: r.outcome.token, result: { kind: 'sent', seq } }, env());
    }
    return r.state;
  };

  it('ignores what no longer applies: old tokens, early timers, messages from before the question', () => {
    const s = waitingForOrder();
    const ignoredBy = (input: EngineInput, e = env()) => step(wf, s, input, e).outcome;
    expect(ignoredBy({ kind: 'timeout', token: 'old' })).toEqual({ kind: 'ignored', why: 'no such wait' });
    expect(ignoredBy({ kind: 'timeout', token: s.wait!.token })).toEqual({ kind: 'ignored', why: 'not due yet' });
    expect(ignoredBy({ kind: 'customer-message', text: '7', seq: 4 })).toEqual({
      kind: 'ignored',
      why: 'message from before the question',
    });
    expect(ignoredBy({ kind: 'result', token: '1', result: { kind: 'done' } })).toEqual({
      kind: 'ignored',
      why: 'no such command pending',
    });
    expect(ignoredBy({ kind: 'start' })).toEqual({ kind: 'ignored', why: 'waiting' });
  });

  it('a customer answer resumes the wait; an exit to nothing finishes the workflow', () => {
    const s = waitingForOrder();
    const answered = step(wf, s, { kind: 'customer-message', text: '4711', seq: 5 }, env());
    expect(answered.outcome).toMatchObject({
      kind: 'command',
      command: { kind: 'send-message', text: 'Thanks for 4711' },
    });
    const sent = step(
      wf,
      answered.state,
      { kind: 'result', token: answered.state.pending!.token, result: { kind: 'sent', seq: 6 } },
      env(),
    );
    expect(sent.outcome).toMatchObject({ kind: 'command', command: { kind: 'finish' } });
    expect(sent.state.closing).toBe(true);
    const ended = step(
      wf,
      sent.state,
      { kind: 'result', token: sent.state.pending!.token, result: { kind: 'ended' } },
      env(),
    );
    expect(ended.outcome).toEqual({ kind: 'ended', how: 'finished', detail: 'the workflow ended' });
  });

  it('a due timer resumes the wait by its timeout exit', () => {
    const s = waitingForOrder();
    const timedOut = step(wf, s, { kind: 'timeout', token: s.wait!.token }, env({ now: NOW + 60_000 }));
    expect(timedOut.outcome).toMatchObject({ kind: 'command', command: { kind: 'finish' } });
    expect(timedOut.trace.map((t) => t.event)).toEqual(['resumed', 'exit', 'command']);
  });

  it('fails the session when it reaches an activity the channel does not support, and only then', () => {
    const edited = define([
      { id: 'hi', kind: 'message', settings: { text: 'Hi' }, exits: { next: 'music' } },
      { id: 'music', name: 'Hold music', kind: 'play-music', settings: {}, exits: { next: null } },
    ]);
    const first = step(edited, initialState(edited), { kind: 'start' }, env());
    expect(first.outcome).toMatchObject({ kind: 'command', command: { kind: 'send-message' } });
    const reached = step(
      edited,
      first.state,
      { kind: 'result', token: first.state.pending!.token, result: { kind: 'sent', seq: 1 } },
      env(),
    );
    expect(reached.outcome).toEqual({
      kind: 'command',
      token: '2',
      command: {
        kind: 'end-session',
        outcome: 'failed',
        reason: 'Play Music "Hold music" is not supported on Interact',
      },
    });
    const ended = step(edited, reached.state, { kind: 'result', token: '2', result: { kind: 'ended' } }, env());
    expect(ended.outcome).toMatchObject({ kind: 'ended', how: 'failed' });
  });

  it('fails when the node it stands on was removed by an edit', () => {
    const s = { ...initialState(wf), nodeId: 'gone' };
    expect(step(wf, s, { kind: 'start' }, env()).outcome).toMatchObject({
      command: { kind: 'end-session', outcome: 'failed', reason: expect.stringContaining('no node "gone"') },
    });
  });

  it('fails instead of spinning through a loop without a wait (only possible around validation)', () => {
    const spin = define(
      [
        {
          id: 'a',
          kind: 'check-parameter',
          settings: { parameter: 'x', operator: 'is-empty' },
          exits: { match: 'b', 'no-match': 'b' },
        },
        { id: 'b', kind: 'save-to-parameter', settings: { parameter: 'x', value: '' }, exits: { next: 'a' } },
      ],
      [{ name: 'x' }],
    );
    const r = step(spin, initialState(spin), { kind: 'start' }, env());
    expect(r.outcome).toMatchObject({
      command: {
        kind: 'end-session',
        outcome: 'failed',
        reason: `ran ${MAX_ACTIVITIES_PER_STEP} activities without waiting`,
      },
    });
  });

  it('an activity that stops the workflow ends it without a further command', () => {
    const check = define([
      { id: 'c', kind: 'check-task', settings: {}, exits: { queued: null, offered: null, 'not-queued': null } },
    ]);
    const asked = step(check, initialState(check), { kind: 'start' }, env());
    const stopped = step(
      check,
      asked.state,
      { kind: 'result', token: asked.state.pending!.token, result: { kind: 'task-state', state: 'connected' } },
      env(),
    );
    expect(stopped.outcome).toEqual({ kind: 'ended', how: 'stopped', detail: 'connected' });
  });
});
