import { z } from 'zod/v4';
import type { Calendar } from '../model';
import type { QueuePosition } from '../routing/queue-order';
import { DistributionType, Id, Priority } from '../model';
import type { ServiceAvailability } from './availability';
import { SYSTEM_FIELDS, type TemplateValues, renderTemplate } from './template';

/**
 * What an activity asks the runner to do. Commands are stored with the workflow instance before they
 * run, so a process that dies mid-command has the next one run it again (at least once).
 */
export const Command = z.discriminatedUnion('kind', [
  /** Takes the conversation in: the task is in its workflow and the customer sees it is being handled. */
  z.object({ kind: z.literal('accept') }),
  z.object({ kind: z.literal('send-message'), text: z.string().min(1).max(4000) }),
  z.object({ kind: z.literal('read-calendars'), primaryId: Id, secondaryId: Id.nullable() }),
  /** Null: the task's own service. */
  z.object({ kind: z.literal('read-availability'), serviceId: Id.nullable() }),
  z.object({ kind: z.literal('read-queue-position') }),
  z.object({ kind: z.literal('read-task-state') }),
  z.object({
    kind: z.literal('enqueue'),
    settings: z.object({
      priority: Priority,
      type: DistributionType,
      ringTimeoutSeconds: z.number().int(),
      broadcastSize: z.number().int(),
      maxQueueSeconds: z.number().int().nullable(),
    }),
  }),
  z.object({ kind: z.literal('set-priority'), priority: Priority }),
  z.object({ kind: z.literal('transfer'), serviceId: Id }),
  z.object({
    kind: z.literal('web-request'),
    webRequestId: Id,
    values: z.object({ system: z.record(z.enum(SYSTEM_FIELDS), z.string()), params: z.record(z.string(), z.string()) }),
  }),
  /** Ends the task with an outcome and closes the customer's chat. */
  z.object({
    kind: z.literal('end-session'),
    outcome: z.enum(['handled-by-system', 'cancelled', 'failed']),
    reason: z.string().max(500),
  }),
  /** The workflow ran out of activities: a queued task stays queued, any other task is ended by the system. */
  z.object({ kind: z.literal('finish') }),
]);
export type Command = z.infer<typeof Command>;

/** What the view of a task a workflow can branch on: waiting, ringing, not in the queue, or gone past it. */
export type TaskView = 'queued' | 'offered' | 'not-queued' | 'connected' | 'ended';

export type CommandResult =
  | { kind: 'done' }
  | { kind: 'sent'; seq: number | null }
  | { kind: 'calendars'; primary: Calendar | null; secondary: Calendar | null }
  | { kind: 'availability'; availability: ServiceAvailability | null }
  | { kind: 'queue-position'; position: QueuePosition | null }
  | { kind: 'task-state'; state: TaskView }
  | { kind: 'enqueued'; ok: boolean }
  | { kind: 'priority-set'; queued: boolean }
  | { kind: 'transferred'; ok: boolean; reason: string | null }
  | {
      kind: 'web-response';
      outcome: 'success' | 'failure' | 'timeout';
      values: Record<string, string>;
      status: number | null;
      detail: string | null;
    }
  | { kind: 'ended' };

/** An activity's own notes while the workflow is at its node (attempts, which phase it is in). */
export const Memory = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type Memory = z.infer<typeof Memory>;

/** Facts the workflow collected about the queue, shown through system fields and used by Queue Task. */
export const WorkflowFacts = z.object({
  queuePosition: z.number().int().min(1).nullable(),
  estimatedWaitSeconds: z.number().int().min(0).nullable(),
  /** Set by Distribution Priority; Queue Task uses it unless it names a priority itself. */
  priority: Priority.nullable(),
});
export type WorkflowFacts = z.infer<typeof WorkflowFacts>;

export type ActivityContext<S> = {
  settings: S;
  memory: Memory;
  now: number;
  params: Readonly<Record<string, string>>;
  facts: WorkflowFacts;
  values: TemplateValues;
};

export type ActivityInput =
  | { kind: 'enter' }
  | { kind: 'result'; result: CommandResult }
  | { kind: 'customer-message'; text: string; seq: number }
  | { kind: 'timeout' };

export type StopReason = 'disconnected' | 'cancelled' | 'transferred' | 'connected' | 'task-ended';

export type ActivityStep =
  | { type: 'exit'; exit: string; params?: Record<string, string>; facts?: Partial<WorkflowFacts>; note?: string }
  | { type: 'command'; command: Command; memory?: Memory }
  | { type: 'wait'; forCustomer: boolean; timeoutMs: number; afterSeq: number | null; memory?: Memory }
  /** The workflow is over because the task left it (ended, transferred, connected). */
  | { type: 'stop'; reason: StopReason; note?: string }
  /** Something the workflow cannot go on from: the task ends with outcome "failed". */
  | { type: 'fail'; reason: string };

/** References to other configuration items, checked by validation when they are known. */
export type References = { services?: string[]; calendars?: string[]; webRequests?: string[] };

export type ActivityCategory = 'conversation' | 'check' | 'queue';

export type ActivityDefinition<S> = {
  kind: string;
  label: string;
  category: ActivityCategory;
  settings: z.ZodType<S>;
  exits(settings: S): string[];
  /** True when every pass through the activity waits for a timer or the customer (the loop rule). */
  waits(settings: S): boolean;
  /** Template texts, for placeholder validation. */
  templates(settings: S): string[];
  /** Parameters the activity reads by name (besides templates) and writes. */
  reads(settings: S): string[];
  writes(settings: S): string[];
  references(settings: S): References;
  run(ctx: ActivityContext<S>, input: ActivityInput): ActivityStep;
};

type Optional = 'templates' | 'reads' | 'writes' | 'references' | 'waits';

/** Declares an activity; the optional parts default to "none". */
export function defineActivity<S>(
  def: Omit<ActivityDefinition<S>, Optional> & Partial<Pick<ActivityDefinition<S>, Optional>>,
): ActivityDefinition<S> {
  return { templates: () => [], reads: () => [], writes: () => [], references: () => ({}), waits: () => false, ...def };
}

/** An input the engine should never hand this activity: ending the task is safer than guessing. */
export const unexpected = (label: string, input: ActivityInput): ActivityStep => ({
  type: 'fail',
  reason: `${label} did not expect ${input.kind === 'result' ? `a ${input.result.kind} result` : input.kind}`,
});

export const render = (text: string, values: TemplateValues): string => renderTemplate(text, values, 'text');

/** Message text that became empty after rendering still goes out as something the customer can read. */
export const nonEmpty = (text: string): string => (text.trim() === '' ? '…' : text.slice(0, 4000));
