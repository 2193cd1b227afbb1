import { z } from 'zod/v4';
import { DisplayName, TimeZone, unitOwned } from '../model/common';
import { IM_ACTIVITIES } from './registry';
import type { UnsupportedKind } from './activities/unsupported';
import { NodeId, ParameterName } from './schemas';

const NodeBase = z.object({
  id: NodeId,
  /** What the author calls the node; errors and traces use it. Defaults to the id. */
  name: z.string().trim().min(1).max(100).optional(),
  /** Exit name → next node id, or null where the workflow deliberately ends. */
  exits: z.record(z.string(), NodeId.nullable()),
});

const node = <K extends string, S extends z.ZodType>(kind: K, settings: S) =>
  NodeBase.extend({ kind: z.literal(kind), settings });
const unsupported = <K extends UnsupportedKind>(kind: K) => node(kind, z.record(z.string(), z.unknown()).default({}));

/** One activity in the graph, discriminated by its kind, with that activity's typed settings. */
export const WorkflowNode = z.discriminatedUnion('kind', [
  node('accept', IM_ACTIVITIES.accept.settings),
  node('collect-information', IM_ACTIVITIES['collect-information'].settings),
  node('delay', IM_ACTIVITIES.delay.settings),
  node('disconnect', IM_ACTIVITIES.disconnect.settings),
  node('input-customer', IM_ACTIVITIES['input-customer'].settings),
  node('message', IM_ACTIVITIES.message.settings),
  node('save-to-parameter', IM_ACTIVITIES['save-to-parameter'].settings),
  node('transfer', IM_ACTIVITIES.transfer.settings),
  node('web-request', IM_ACTIVITIES['web-request'].settings),
  node('availability-based-routing', IM_ACTIVITIES['availability-based-routing'].settings),
  node('check-opening-hours', IM_ACTIVITIES['check-opening-hours'].settings),
  node('check-parameter', IM_ACTIVITIES['check-parameter'].settings),
  node('get-available-users', IM_ACTIVITIES['get-available-users'].settings),
  node('get-queue-position', IM_ACTIVITIES['get-queue-position'].settings),
  node('cancel-task', IM_ACTIVITIES['cancel-task'].settings),
  node('check-task', IM_ACTIVITIES['check-task'].settings),
  node('distribution-priority', IM_ACTIVITIES['distribution-priority'].settings),
  node('queue-task', IM_ACTIVITIES['queue-task'].settings),
  unsupported('announcement'),
  unsupported('disconnect-as-handled'),
  unsupported('forward'),
  unsupported('input-customer-advanced'),
  unsupported('mark-as-handled'),
  unsupported('play-music'),
  unsupported('reply'),
  unsupported('standby-duty'),
  unsupported('virtual-user'),
  unsupported('voice-message'),
  unsupported('wait-for-parameter'),
  unsupported('queue'),
]);
export type WorkflowNode = z.infer<typeof WorkflowNode>;
export type WorkflowNodeInput = z.input<typeof WorkflowNode>;

export const WorkflowParameter = z.object({ name: ParameterName, default: z.string().max(1000).default('') });

/**
 * An IM workflow: activities connected into a graph by named exits. Stored in the tenant's
 * configuration; `version` grows with every saved edit, so a trace can say which version ran.
 */
export const WorkflowDefinition = unitOwned('workflow').extend({
  name: DisplayName,
  modality: z.literal('im').default('im'),
  /** Time zone of the {{date}} and {{time}} fields. */
  timeZone: TimeZone.default('UTC'),
  parameters: z.array(WorkflowParameter).max(100).default([]),
  start: NodeId,
  nodes: z.array(WorkflowNode).min(1).max(200),
  version: z.number().int().min(1).default(1),
  updatedAt: z.number().int().default(0),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;
