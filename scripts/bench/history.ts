import type { Store } from '../../bot/src/store';
import type { ContainerId } from '../../bot/src/store/containers';
import { chatScope, partitionKey, serviceQueueScope, teamsScope, userScope } from '../../bot/src/store/partition-keys';

type Doc = Record<string, unknown> & { id: string; pk: string };

/**
 * What one ended chat leaves in the store, as a lifecycle with one message each way leaves it (read
 * off a store dumped after such a chat): the chat and its event log (waiting, connected, two messages,
 * ended) in `chats`; the task report (service partition) and the agent's user session (user
 * partition) in `reports`; the agent's Teams session card and message links (card, relayed customer
 * message) in `routing`. The live task itself is deleted when the chat ends; timers are cancelled.
 */
export function endedChatDocuments(
  tenantId: string,
  serviceId: string,
  agent: { userId: string; name: string },
  index: number,
  endedAt: number,
): { container: ContainerId; doc: Doc }[] {
  const chatId = `hist-chat-${index}`;
  const taskId = `hist-task-${index}`;
  const offerId = `hist-offer-${index}`;
  const queue = serviceQueueScope(serviceId);
  const target = { kind: 'service', serviceId };
  const customer = { displayName: `History ${index}`, email: 'history@bench.example', address: null };
  const createdAt = endedAt - 120_000;
  const connectedAt = createdAt + 20_000;
  const chatPk = partitionKey(tenantId, chatScope(chatId));
  const teamsPk = partitionKey(tenantId, teamsScope(agent.userId));
  const event = (seq: number, at: number, fields: Record<string, unknown>): Doc => ({
    id: `e-${String(seq).padStart(10, '0')}`,
    tenantId,
    type: 'chatEvent',
    chatId,
    seq,
    at,
    ...fields,
    pk: chatPk,
  });
  const status = (state: string, agentName: string | null, position: number | null) => ({
    kind: 'status',
    state,
    position,
    estimatedWaitSeconds: null,
    agentName,
  });
  const message = (from: 'customer' | 'agent', authorName: string, text: string) => ({
    kind: 'message',
    from,
    authorName,
    text,
    audience: 'all',
  });
  const link = (n: number, activityId: string, at: number): Doc => ({
    id: `msg-hist-${index}-${n}`,
    tenantId,
    type: 'teamsMessageLink',
    userId: agent.userId,
    activityId,
    chatId,
    taskId,
    queue,
    at,
    pk: teamsPk,
  });
  return [
    {
      container: 'chats',
      doc: {
        id: chatId,
        tenantId,
        type: 'chat',
        target,
        channel: 'interact',
        contactId: 'ct-bench',
        customer,
        state: 'ended',
        createdAt,
        endedAt,
        endedBy: 'customer',
        task: { id: taskId, queue },
        agent: { userId: agent.userId, displayName: agent.name },
        channelRef: null,
        parameters: {},
        lastSeq: 5,
        pk: chatPk,
      },
    },
    { container: 'chats', doc: event(1, createdAt + 100, status('waiting', null, 1)) },
    { container: 'chats', doc: event(2, connectedAt, status('connected', agent.name, null)) },
    { container: 'chats', doc: event(3, connectedAt + 10_000, message('customer', customer.displayName, 'Hello')) },
    { container: 'chats', doc: event(4, connectedAt + 20_000, message('agent', agent.name, 'Hello, how can I help?')) },
    { container: 'chats', doc: event(5, endedAt, status('ended', null, null)) },
    {
      container: 'reports',
      doc: {
        id: taskId,
        tenantId,
        type: 'taskReport',
        target,
        channel: 'interact',
        chatId,
        customer,
        firstMessage: null,
        outcome: 'accepted',
        acceptedByUserId: agent.userId,
        createdAt,
        enqueuedAt: createdAt + 50,
        connectedAt,
        endedAt,
        offers: 1,
        timeInQueueMs: connectedAt - createdAt - 50,
        timeToAcceptMs: 5_000,
        timeInConversationMs: endedAt - connectedAt,
        transferredFromTaskId: null,
        transferredToTaskId: null,
        pk: partitionKey(tenantId, queue),
      },
    },
    {
      container: 'reports',
      doc: {
        id: offerId,
        tenantId,
        type: 'userSession',
        userId: agent.userId,
        taskId,
        target,
        channel: 'interact',
        customer,
        outcome: 'accepted',
        offeredAt: connectedAt - 5_000,
        respondedAt: connectedAt,
        endedAt,
        taskOutcome: 'accepted',
        pk: partitionKey(tenantId, userScope(agent.userId)),
      },
    },
    {
      container: 'routing',
      doc: {
        id: `task:${taskId}`,
        tenantId,
        type: 'teamsSessionCard',
        userId: agent.userId,
        taskId,
        queue,
        chatId,
        offerId,
        activityId: `hist-activity-${index}`,
        state: 'ended',
        relayedSeq: 4,
        updatedAt: endedAt,
        pk: teamsPk,
      },
    },
    { container: 'routing', doc: link(0, `hist-activity-${index}`, connectedAt - 5_000) },
    { container: 'routing', doc: link(1, `hist-activity-${index}-1`, connectedAt + 10_000) },
  ];
}

/** Writes `count` ended chats (numbered from `from`), spread over the agents and the last 30 days. */
export async function seedHistory(
  store: Pick<Store, 'cosmos'>,
  tenantId: string,
  serviceId: string,
  agents: readonly { userId: string; name: string }[],
  count: number,
): Promise<number> {
  const now = Date.now();
  const span = 30 * 24 * 3600_000;
  let written = 0;
  const batch: { container: ContainerId; doc: Doc }[] = [];
  const flush = async () => {
    await Promise.all(batch.map(({ container, doc }) => store.cosmos.containers[container].items.create(doc)));
    written += batch.length;
    batch.length = 0;
  };
  for (let i = 0; i < count; i++) {
    const agent = agents[i % agents.length]!;
    batch.push(...endedChatDocuments(tenantId, serviceId, agent, i, now - span + Math.floor((span * i) / count)));
    if (batch.length >= 100) await flush();
  }
  await flush();
  return written;
}
