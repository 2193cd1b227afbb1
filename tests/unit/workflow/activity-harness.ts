import type {
  ActivityDefinition,
  ActivityInput,
  ActivityStep,
  CommandResult,
  Memory,
  SystemFacts,
  WorkflowFacts,
} from '../../../bot/src/core/workflow';
import { templateValues } from '../../../bot/src/core/workflow';

/** Monday 2026-01-05 09:00 UTC. */
export const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

export const FACTS: SystemFacts = {
  customerName: 'Casey Customer',
  customerEmail: 'casey@example.com',
  channel: 'interact',
  firstMessage: 'Hi there',
  serviceName: 'Service B',
};
export const NO_QUEUE_FACTS: WorkflowFacts = { queuePosition: null, estimatedWaitSeconds: null, priority: null };

export const enter: ActivityInput = { kind: 'enter' };
export const timeout: ActivityInput = { kind: 'timeout' };
export const result = (r: CommandResult): ActivityInput => ({ kind: 'result', result: r });
export const says = (text: string, seq = 10): ActivityInput => ({ kind: 'customer-message', text, seq });
/** The step of an activity that ends the session (and with it the task) with this outcome. */
export const endsSession = (outcome: string, reason: string) => ({
  type: 'command',
  command: { kind: 'end-session', outcome, reason },
});

/**
 * Runs one activity as the engine would: settings parsed with the activity's schema, template values
 * from fixed facts. Returns a function from (input, memory) to the activity's decision.
 */
export function activityUnder<S>(
  activity: ActivityDefinition<S>,
  settings: unknown,
  opts: { params?: Record<string, string>; facts?: Partial<WorkflowFacts>; now?: number } = {},
): (input: ActivityInput, memory?: Memory) => ActivityStep {
  const parsed = activity.settings.parse(settings);
  const params = opts.params ?? {};
  const facts = { ...NO_QUEUE_FACTS, ...opts.facts };
  const now = opts.now ?? NOW;
  return (input, memory = {}) =>
    activity.run(
      { settings: parsed, memory, now, params, facts, values: templateValues(FACTS, facts, params, now, 'UTC') },
      input,
    );
}

/** The memory a step left, to hand to the next input as the engine would. */
export const memoryOf = (step: ActivityStep): Memory =>
  step.type === 'command' || step.type === 'wait' ? (step.memory ?? {}) : {};
