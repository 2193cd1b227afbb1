import type { ImChannel } from '../model';
import type { ActivityInput, ActivityStep, Command, CommandResult, WorkflowFacts } from './activity';
import { nodeIncompatibility } from './compatibility';
import type { WorkflowInstance, TraceEvent } from './instance';
import type { WorkflowDefinition, WorkflowNode } from './model';
import { activityOf } from './registry';
import { type SystemFacts, templateValues } from './system-fields';
import { clipParameter } from './template';

/** The part of an instance the engine decides; the rest is bookkeeping of the runner. */
export type EngineState = Pick<
  WorkflowInstance,
  'nodeId' | 'entered' | 'memory' | 'wait' | 'pending' | 'closing' | 'params' | 'facts' | 'counter'
>;

export type EngineInput =
  /** Go on from where the instance stands: enter its node if it has not yet. */
  | { kind: 'start' }
  | { kind: 'result'; token: string; result: CommandResult }
  | { kind: 'customer-message'; text: string; seq: number }
  | { kind: 'timeout'; token: string };

export type StepEnv = { now: number; channel: ImChannel; facts: SystemFacts };

export type TraceDraft = { nodeId: string | null; activity: string | null; event: TraceEvent; detail: string | null };

export type StepOutcome =
  | { kind: 'command'; token: string; command: Command }
  | { kind: 'waiting'; token: string; until: number; forCustomer: boolean }
  | { kind: 'ended'; how: 'finished' | 'stopped' | 'failed'; detail: string }
  /** The input no longer applies (an old timer, an answer to a question nobody asks any more). */
  | { kind: 'ignored'; why: string };

export type StepResult = { state: EngineState; outcome: StepOutcome; trace: TraceDraft[] };

/**
 * Activities one step may pass through without waiting. Validation refuses loops without a wait, so
 * only a workflow edited into something invalid could hit it; it then fails instead of spinning.
 */
export const MAX_ACTIVITIES_PER_STEP = 100;

export const initialState = (workflow: Pick<WorkflowDefinition, 'start' | 'parameters'>): EngineState => ({
  nodeId: workflow.start,
  entered: false,
  memory: {},
  wait: null,
  pending: null,
  closing: false,
  params: Object.fromEntries(workflow.parameters.map((p) => [p.name, p.default])),
  facts: { queuePosition: null, estimatedWaitSeconds: null, priority: null },
  counter: 0,
});

/**
 * Moves a workflow on by one input, as far as it can go without the outside world: until an activity
 * needs a command carried out, waits, or the workflow ends. Pure: the caller stores the new state
 * first and then carries out the command, so a crash never skips one.
 */
export function step(workflow: WorkflowDefinition, state0: EngineState, input: EngineInput, env: StepEnv): StepResult {
  const s: EngineState = {
    ...state0,
    memory: { ...state0.memory },
    params: { ...state0.params },
    facts: { ...state0.facts },
  };
  const trace: TraceDraft[] = [];
  const nodes = new Map(workflow.nodes.map((n) => [n.id, n]));
  const token = (): string => String(++s.counter);
  const note = (node: WorkflowNode | undefined, event: TraceEvent, detail: string | null = null) =>
    trace.push({
      nodeId: node?.id ?? s.nodeId,
      activity: node?.kind ?? null,
      event,
      detail: detail === null ? null : detail.slice(0, 1000),
    });
  const ignored = (why: string): StepResult => ({ state: state0, outcome: { kind: 'ignored', why }, trace: [] });

  const fail = (node: WorkflowNode | undefined, reason: string): StepResult => {
    note(node, 'failed', reason);
    s.closing = true;
    s.wait = null;
    const t = token();
    s.pending = { token: t, command: { kind: 'end-session', outcome: 'failed', reason: reason.slice(0, 500) } };
    note(node, 'command', 'end-session failed');
    return { state: s, outcome: { kind: 'command', token: t, command: s.pending.command }, trace };
  };

  let activityInput: ActivityInput;
  switch (input.kind) {
    case 'start':
      if (s.pending) return ignored('a command is pending');
      if (s.wait) return ignored('waiting');
      activityInput = { kind: 'enter' };
      s.entered = false;
      break;
    case 'result': {
      if (!s.pending || s.pending.token !== input.token) return ignored('no such command pending');
      const finished = s.pending.command;
      s.pending = null;
      note(nodes.get(s.nodeId), 'result', input.result.kind);
      if (s.closing) {
        const how = finished.kind === 'end-session' && finished.outcome === 'failed' ? 'failed' : 'finished';
        note(nodes.get(s.nodeId), 'ended', how);
        return {
          state: s,
          outcome: {
            kind: 'ended',
            how,
            detail: finished.kind === 'end-session' ? finished.reason : 'the workflow ended',
          },
          trace,
        };
      }
      activityInput = { kind: 'result', result: input.result };
      break;
    }
    case 'customer-message':
      if (!s.wait?.forCustomer) return ignored('not waiting for the customer');
      if (s.wait.afterSeq !== null && input.seq <= s.wait.afterSeq) return ignored('message from before the question');
      s.wait = null;
      note(nodes.get(s.nodeId), 'resumed', 'customer message');
      activityInput = { kind: 'customer-message', text: input.text, seq: input.seq };
      break;
    case 'timeout':
      if (!s.wait || s.wait.token !== input.token) return ignored('no such wait');
      if (env.now < s.wait.until) return ignored('not due yet');
      s.wait = null;
      note(nodes.get(s.nodeId), 'resumed', 'timer');
      activityInput = { kind: 'timeout' };
      break;
  }

  for (let hops = 0; ; hops++) {
    const node = nodes.get(s.nodeId);
    if (!node) return fail(undefined, `the workflow has no node "${s.nodeId}" any more (edited while running)`);
    const activity = activityOf(node.kind);
    if (!s.entered) {
      if (hops >= MAX_ACTIVITIES_PER_STEP)
        return fail(node, `ran ${MAX_ACTIVITIES_PER_STEP} activities without waiting`);
      // The documented rule for workflows edited after they were selected: reaching an activity the
      // channel does not support ends the session as "failed", never leaves it hanging.
      const incompatible = nodeIncompatibility(node, env.channel);
      if (incompatible) return fail(node, incompatible.message);
      s.entered = true;
      s.memory = {};
      note(node, 'entered', node.name ?? null);
    }
    if (!activity?.runnable) return fail(node, `${node.kind} cannot run here`);

    let result: ActivityStep;
    try {
      const values = templateValues(env.facts, s.facts, s.params, env.now, workflow.timeZone);
      result = activity.run(
        { settings: node.settings, memory: s.memory, now: env.now, params: s.params, facts: s.facts, values },
        activityInput,
      );
    } catch (err) {
      return fail(node, `${activity.label} could not run: ${err instanceof Error ? err.message : String(err)}`);
    }

    switch (result.type) {
      case 'exit': {
        for (const [name, value] of Object.entries(result.params ?? {})) s.params[name] = clipParameter(value);
        s.facts = { ...s.facts, ...(result.facts ?? {}) } satisfies WorkflowFacts;
        note(node, 'exit', result.note ? `${result.exit}: ${result.note}` : result.exit);
        const target = node.exits[result.exit];
        if (target === undefined) return fail(node, `exit "${result.exit}" of ${activity.label} is not wired`);
        if (target === null) {
          s.closing = true;
          const t = token();
          s.pending = { token: t, command: { kind: 'finish' } };
          note(node, 'command', 'finish');
          return { state: s, outcome: { kind: 'command', token: t, command: s.pending.command }, trace };
        }
        s.nodeId = target;
        s.entered = false;
        s.memory = {};
        activityInput = { kind: 'enter' };
        continue;
      }
      case 'command': {
        if (result.memory) s.memory = result.memory;
        const t = token();
        s.pending = { token: t, command: result.command };
        note(node, 'command', result.command.kind);
        return { state: s, outcome: { kind: 'command', token: t, command: result.command }, trace };
      }
      case 'wait': {
        if (result.memory) s.memory = result.memory;
        const t = token();
        s.wait = {
          token: t,
          until: env.now + result.timeoutMs,
          forCustomer: result.forCustomer,
          afterSeq: result.afterSeq,
        };
        note(node, 'waiting', `${result.forCustomer ? 'customer, ' : ''}${Math.round(result.timeoutMs / 1000)} s`);
        return {
          state: s,
          outcome: { kind: 'waiting', token: t, until: s.wait.until, forCustomer: result.forCustomer },
          trace,
        };
      }
      case 'stop':
        note(node, 'stopped', result.note ? `${result.reason}: ${result.note}` : result.reason);
        return { state: s, outcome: { kind: 'ended', how: 'stopped', detail: result.reason }, trace };
      case 'fail':
        return fail(node, result.reason);
    }
  }
}
