import type { TaskTarget } from '../core/model';

/**
 * Every partition scheme of the store, in one place (as bullmq keeps its queue keys): how a partition
 * key is composed, how each kind of scope is named, and how a scope read back from a document, a timer
 * or a card is taken apart again. Nothing outside store/ spells a key or parses one.
 *
 * A tenant's partition key is `<tenantId>` (its configuration) or `<tenantId>|<scope>` (one queue, one
 * chat, one agent's bot documents...). Ids never contain `|` (core/model `Id`), so a scope cannot
 * reach into another tenant. The scope helpers return the part after the `|`: services carry scopes
 * (a task's queue is one) and hand them back to the repositories, which compose the key.
 *
 * The core never needs these: a queue name is an opaque string to it.
 */
export function partitionKey(tenantId: string, scope?: string): string {
  return scope === undefined ? tenantId : `${tenantId}|${scope}`;
}

// ---- queues: a service's or a user's live tasks and queue statistics (`routing`), task reports (`reports`)

/** The queue of a service, and the partition of its tasks, statistics and task reports. */
export const serviceQueueScope = (serviceId: string): string => `svc:${serviceId}`;

/**
 * One user's partition: their direct contacts' queue (tasks and task reports), and in `reports` their
 * own user session reports and wrap-ups. Both are about that user, so they share it.
 */
export const userScope = (userId: string): string => `usr:${userId}`;

/** The queue a task waits in: its target's. Timers, agent slots, chats and cards carry it to find the task again. */
export const queueScope = (target: TaskTarget): string =>
  target.kind === 'service' ? serviceQueueScope(target.serviceId) : userScope(target.userId);

// The id part as core/model `Id` allows it (letters, digits, . _ : @ -, at most 128).
const QUEUE_SCOPE = /^(svc|usr):([A-Za-z0-9._:@-]{1,128})$/;

/** The target of a queue scope, or undefined for anything that is not one (a forged card, an old timer). */
export function parseQueueScope(scope: string): TaskTarget | undefined {
  const m = QUEUE_SCOPE.exec(scope);
  if (!m) return undefined;
  return m[1] === 'svc' ? { kind: 'service', serviceId: m[2]! } : { kind: 'user', userId: m[2]! };
}

/** The service of a service queue; undefined for a user's queue or anything else. */
export function serviceOfQueue(scope: string): string | undefined {
  const target = parseQueueScope(scope);
  return target?.kind === 'service' ? target.serviceId : undefined;
}

// ---- the other scopes inside a tenant

/** Every agent's state document (their capacity slots), in one partition per tenant. */
export const AGENTS_SCOPE = 'agents';

/** A tenant's Microsoft Graph presence subscriptions (`routing`). */
export const PRESENCE_SCOPE = 'presence';

/** One chat: the chat, its ordered events, its deliveries and inbound media (`chats`). */
export const chatScope = (chatId: string): string => `chat:${chatId}`;

/** One task's workflow: the running instance (`routing`) and its trace (`reports`). */
export const workflowScope = (taskId: string): string => `wf:${taskId}`;

/** What the Teams bot keeps per agent: conversation reference, session cards, message links, delivery failures. */
export const teamsScope = (userId: string): string => `teams:${userId}`;

/** A service's WhatsApp threads (one per customer number). */
export const whatsappThreadScope = (serviceId: string): string => `wa:${serviceId}`;

/** Inbound WhatsApp message ids seen, to process a retried MessageSid once. */
export const WHATSAPP_INBOUND_SCOPE = 'wa-inbound';

/** A tenant's report aggregates (`reports`): one document per queue and day, read by date range. */
export const REPORTING_SCOPE = 'reporting';

// ---- infrastructure partitions, across tenants (see containers.ts): pointers only

/** Due timers, found by one sweeper across tenants (`timers`). */
export const TIMERS_PK = 'timers';
/** The sweeper's lease (`timers`). */
export const LEASES_PK = 'leases';
/** The live server instances, for their share of the per-conversation rate limits (`timers`). */
export const INSTANCES_PK = 'instances';
/** A public contact id → its tenant and target (`directory`). */
export const contactPartition = (contactId: string): string => `contact:${contactId}`;
/** A WhatsApp connection id (named in its webhook URL) → its tenant (`directory`). */
export const whatsappConnectorPartition = (connectorId: string): string => `waconn:${connectorId}`;
/** Secrets generated once and shared by every process (`directory`). */
export const SYSTEM_PK = 'system';

/**
 * Timer ids, one per purpose: rescheduling moves a timer instead of adding a second one. They carry
 * the tenant because all timers share one partition.
 */
export const timerIds = {
  offer: (tenantId: string, offerId: string): string => `offer:${tenantId}:${offerId}`,
  maxQueue: (tenantId: string, taskId: string): string => `maxq:${tenantId}:${taskId}`,
  rona: (tenantId: string, userId: string): string => `rona:${tenantId}:${userId}`,
  distribute: (tenantId: string, queue: string): string => `dist:${tenantId}:${queue}`,
  finalize: (tenantId: string, taskId: string): string => `final:${tenantId}:${taskId}`,
  workflow: (tenantId: string, taskId: string): string => `wf:${tenantId}:${taskId}`,
  customerAway: (tenantId: string, chatId: string): string => `customer-away:${tenantId}:${chatId}`,
};
