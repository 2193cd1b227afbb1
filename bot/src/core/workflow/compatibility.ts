import type { ImChannel, Service } from '../model';
import type { WorkflowDefinition, WorkflowNode } from './model';
import { type ActivityKind, activityLabel } from './registry';
import { type Result, ok, refuse } from '../result';

/** How an activity is supported on an IM channel. */
export type Support = 'yes' | 'no' | 'service-target-only';

/**
 * The table "supported WF activities for Instant Messaging" of the product documentation, row by row
 * (Interact, WhatsApp). It is kept as it is published; `SUPPORT_BEYOND_TABLE` says where this product
 * supports more, and why.
 */
export const IM_SUPPORT_TABLE: Record<ActivityKind, Record<ImChannel, Support>> = {
  // Conversation handling
  accept: { interact: 'yes', whatsapp: 'yes' },
  announcement: { interact: 'no', whatsapp: 'no' },
  'collect-information': { interact: 'yes', whatsapp: 'yes' },
  delay: { interact: 'yes', whatsapp: 'yes' },
  disconnect: { interact: 'yes', whatsapp: 'yes' },
  'disconnect-as-handled': { interact: 'no', whatsapp: 'no' },
  forward: { interact: 'no', whatsapp: 'no' },
  'input-customer': { interact: 'yes', whatsapp: 'yes' },
  'input-customer-advanced': { interact: 'no', whatsapp: 'no' },
  'mark-as-handled': { interact: 'no', whatsapp: 'no' },
  message: { interact: 'yes', whatsapp: 'yes' },
  'play-music': { interact: 'no', whatsapp: 'no' },
  reply: { interact: 'no', whatsapp: 'no' },
  'save-to-parameter': { interact: 'yes', whatsapp: 'yes' },
  'standby-duty': { interact: 'no', whatsapp: 'no' },
  transfer: { interact: 'service-target-only', whatsapp: 'service-target-only' },
  'virtual-user': { interact: 'no', whatsapp: 'no' },
  'voice-message': { interact: 'no', whatsapp: 'no' },
  'web-request': { interact: 'yes', whatsapp: 'no' },
  // Check
  'availability-based-routing': { interact: 'yes', whatsapp: 'yes' },
  'check-opening-hours': { interact: 'yes', whatsapp: 'yes' },
  'check-parameter': { interact: 'yes', whatsapp: 'yes' },
  'get-available-users': { interact: 'yes', whatsapp: 'yes' },
  'get-queue-position': { interact: 'yes', whatsapp: 'yes' },
  'wait-for-parameter': { interact: 'no', whatsapp: 'no' },
  // Queue
  'cancel-task': { interact: 'yes', whatsapp: 'yes' },
  'check-task': { interact: 'yes', whatsapp: 'yes' },
  'distribution-priority': { interact: 'yes', whatsapp: 'yes' },
  queue: { interact: 'no', whatsapp: 'no' },
  'queue-task': { interact: 'yes', whatsapp: 'yes' },
};

/** Where this product supports more than the published table. */
export const SUPPORT_BEYOND_TABLE: Partial<
  Record<ActivityKind, Partial<Record<ImChannel, { support: Support; why: string }>>>
> = {
  'web-request': {
    whatsapp: {
      support: 'yes',
      why: 'The request runs on the server between activities; nothing in it depends on the channel the customer writes from.',
    },
  },
};

export const CHANNEL_LABEL: Record<ImChannel, string> = { interact: 'Interact', whatsapp: 'WhatsApp' };

export function imSupport(kind: ActivityKind, channel: ImChannel): Support {
  return SUPPORT_BEYOND_TABLE[kind]?.[channel]?.support ?? IM_SUPPORT_TABLE[kind][channel];
}

export type Incompatibility = {
  nodeId: string;
  nodeName: string;
  kind: ActivityKind;
  label: string;
  channel: ImChannel;
  reason: 'unsupported' | 'transfer-target';
  message: string;
};

/** Why one node cannot run on a channel, or undefined when it can. */
export function nodeIncompatibility(node: WorkflowNode, channel: ImChannel): Incompatibility | undefined {
  const support = imSupport(node.kind, channel);
  const base = {
    nodeId: node.id,
    nodeName: node.name ?? node.id,
    kind: node.kind,
    label: activityLabel(node.kind),
    channel,
  };
  if (support === 'yes') return undefined;
  if (support === 'service-target-only') {
    if (node.kind !== 'transfer' || node.settings.target.kind === 'service') return undefined;
    return {
      ...base,
      reason: 'transfer-target',
      message: `${base.label} "${base.nodeName}" transfers to a ${node.settings.target.kind}; on ${CHANNEL_LABEL[channel]} a transfer can only go to a service`,
    };
  }
  return {
    ...base,
    reason: 'unsupported',
    message: `${base.label} "${base.nodeName}" is not supported on ${CHANNEL_LABEL[channel]}`,
  };
}

/** Every node of the workflow that cannot run on one of the channels. */
export function incompatibilities(
  workflow: Pick<WorkflowDefinition, 'nodes'>,
  channels: readonly ImChannel[],
): Incompatibility[] {
  return channels.flatMap((channel) =>
    workflow.nodes.map((n) => nodeIncompatibility(n, channel)).filter((i): i is Incompatibility => i !== undefined),
  );
}

/** Per IM channel, what of the workflow cannot run there: a service with that channel cannot select it. */
export function unsupportedByChannel(workflow: Pick<WorkflowDefinition, 'nodes'>): Record<ImChannel, string[]> {
  const on = (channel: ImChannel) => incompatibilities(workflow, [channel]).map((i) => i.message);
  return { interact: on('interact'), whatsapp: on('whatsapp') };
}

/** The editor's warnings before saving: one per IM channel the workflow cannot be selected for, naming why. */
export function imChannelWarnings(workflow: Pick<WorkflowDefinition, 'nodes'>): string[] {
  const unsupported = unsupportedByChannel(workflow);
  return (['interact', 'whatsapp'] as const)
    .filter((c) => unsupported[c].length > 0)
    .map(
      (c) =>
        `A service with the ${CHANNEL_LABEL[c]} channel cannot select this workflow: ${unsupported[c].join('; ')}.`,
    );
}

export const enabledChannels = (service: Pick<Service, 'im'>): ImChannel[] =>
  (['interact', 'whatsapp'] as const).filter((c) => service.im.channels[c]);

export type UnsupportedActivities = { code: 'unsupported-activities'; message: string; activities: Incompatibility[] };
export type WorkflowSelection = Result<null, UnsupportedActivities>;

/**
 * Whether a service may use the workflow for Instant Messaging: every activity must run on every IM
 * channel the service has enabled. The refusal names each activity and channel.
 */
export function workflowSelection(
  workflow: Pick<WorkflowDefinition, 'name' | 'nodes'>,
  service: Pick<Service, 'name' | 'im'>,
): WorkflowSelection {
  const found = incompatibilities(workflow, enabledChannels(service));
  if (found.length === 0) return ok(null);
  return refuse({
    code: 'unsupported-activities',
    message: `The workflow "${workflow.name}" cannot be used for Instant Messaging by ${service.name}: ${found.map((f) => f.message).join('; ')}.`,
    activities: found,
  });
}
