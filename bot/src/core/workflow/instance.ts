import { z } from 'zod/v4';
import { Id } from '../model/common';
import { ImChannel } from '../model/service';
import { Command, Memory, WorkflowFacts } from './activity';
import { NodeId } from './schemas';

/** A pending wait: a timer, or a timer and the customer's next message (whichever comes first). */
export const Wait = z.object({
  token: z.string().min(1).max(40),
  until: z.number().int(),
  forCustomer: z.boolean(),
  /** Customer messages up to this chat sequence number were there before the question: not answers. */
  afterSeq: z.number().int().min(0).nullable(),
});
export type Wait = z.infer<typeof Wait>;

/**
 * One workflow running for one task: where it is, what it waits for, the command it is carrying out
 * and its parameters. Every change is a conditional write, so two processes never both move it on.
 */
export const WorkflowInstance = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('workflowInstance'),
  taskId: Id,
  /** The task's queue partition, to read the task by point read. */
  queue: z.string().min(1).max(200),
  chatId: Id,
  serviceId: Id,
  channel: ImChannel,
  workflowId: Id,
  workflowVersion: z.number().int().min(1),
  nodeId: NodeId,
  /** False until the current node's activity has been started. */
  entered: z.boolean(),
  memory: Memory,
  wait: Wait.nullable(),
  pending: z.object({ token: z.string().min(1).max(40), command: Command }).nullable(),
  /** Set once the workflow has decided to end; the pending command is its last. */
  closing: z.boolean(),
  params: z.record(z.string(), z.string().max(1000)),
  facts: WorkflowFacts,
  /** Makes wait and command tokens unique within the instance. */
  counter: z.number().int().min(0),
  /** Sequence number of the last trace entry. */
  traceSeq: z.number().int().min(0),
  startedAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type WorkflowInstance = z.infer<typeof WorkflowInstance>;

export const instanceId = (taskId: string): string => `wf-${taskId}`;

export const TraceEvent = z.enum([
  'started',
  'entered',
  'exit',
  'command',
  'result',
  'waiting',
  'resumed',
  'ended',
  'failed',
  'stopped',
]);
export type TraceEvent = z.infer<typeof TraceEvent>;

/** One step of a session's workflow, kept after the task ends so admins can read what happened. */
export const WorkflowTraceEntry = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('workflowTrace'),
  taskId: Id,
  seq: z.number().int().min(1),
  at: z.number().int(),
  workflowId: Id,
  workflowVersion: z.number().int().min(1),
  nodeId: z.string().max(64).nullable(),
  activity: z.string().max(60).nullable(),
  event: TraceEvent,
  detail: z.string().max(1000).nullable(),
});
export type WorkflowTraceEntry = z.infer<typeof WorkflowTraceEntry>;

export const traceEntryId = (seq: number): string => `tr-${String(seq).padStart(8, '0')}`;
