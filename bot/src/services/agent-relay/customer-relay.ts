import type { Logger } from 'pino';
import { MAX_MESSAGE_LENGTH, type Task, agentNameForCustomer } from '../../core/model';
import { messagesToRelay, splitText } from '../../core/relay';
import { type Store, type TeamsRepositories, teamsScope } from '../../store';
import { sessionCardId } from '../../store/teams-repositories';
import type { ChatService } from '../chat/chat-service';
import type { Routing } from '../routing';
import type { Clock } from '../routing/clock';
import { type AgentDirectory, toAgentConversation } from './agent-directory';
import type { AgentOutbox } from './agent-outbox';
import type { SessionCards } from './session-cards';
import { taskContext } from './task-context';
import type { AgentView } from './views';
import { type Result, ok, refuse } from '../../core/result';

export type PostResult = Result<null, 'chat-ended' | 'chat-not-found'>;

export type CustomerRelayDeps = {
  store: Store;
  repos: Pick<TeamsRepositories, 'sessionCards'>;
  routing: Routing;
  chats: ChatService;
  directory: AgentDirectory;
  outbox: AgentOutbox;
  cards: SessionCards;
  clock: Clock;
  log: Logger;
};

/**
 * Messages between a customer's chat and the agent's Teams conversation.
 *
 * Customer → agent: every customer message of a connected chat (and every note in it for the agent) is
 * relayed, in chat order, once. How far
 * a chat has been relayed is kept on the agent's session card (the chat's event sequence number) and
 * moved forward with a conditional write before sending, so a message is never relayed twice, also
 * not by a second process; work on one chat is serialised in this process.
 *
 * Agent → customer: stored in the chat under the agent's customer-facing name; the chat log delivers it.
 */
export class CustomerRelay {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: CustomerRelayDeps) {}

  /** Something happened in a chat (a customer message, a connect): relay what the agent has not seen. */
  catchUp(tenantId: string, chatId: string): Promise<void> {
    const key = `${tenantId}|${chatId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.relayPending(tenantId, chatId))
      .catch((err: unknown) =>
        this.deps.log.error({ err, tenantId, chatId }, 'relaying customer messages to the agent failed'),
      );
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async relayPending(tenantId: string, chatId: string): Promise<void> {
    const chat = await this.deps.chats.get(tenantId, chatId);
    if (!chat?.task) return;
    const task = await this.deps.routing.tasks.get({ tenantId, queue: chat.task.queue, taskId: chat.task.id });
    // Before the accept the messages wait in the chat; the connect catches up with them.
    if (!task || task.state !== 'connected' || !task.assignedUserId) return;
    const userId = task.assignedUserId;
    if (!(await this.deps.cards.ensure(task))) return;

    let pending: ReturnType<typeof messagesToRelay>['messages'] = [];
    await this.deps.repos.sessionCards.update(
      tenantId,
      sessionCardId(task.id),
      async (card) => {
        const events = await this.deps.chats.eventsAfter(tenantId, chatId, card.relayedSeq);
        const next = messagesToRelay(events, card.relayedSeq, task.firstMessage);
        pending = next.messages;
        return next.cursor > card.relayedSeq
          ? { ...card, relayedSeq: next.cursor, updatedAt: this.deps.clock.now() }
          : undefined;
      },
      { scope: teamsScope(userId), maxAttempts: 20 },
    );
    if (pending.length === 0) return;

    const conversation = await this.deps.directory.conversation(tenantId, userId);
    for (const message of pending) {
      const customerName = chat.customer.displayName;
      const view: AgentView =
        message.from === 'customer'
          ? { kind: 'customer-message', chatId, customerName, channel: chat.channel, text: message.text }
          : { kind: 'chat-note', chatId, customerName, text: message.text };
      const context = { what: 'customer-message' as const, chatId, customerName };
      if (!conversation) {
        await this.deps.outbox.recordUndeliverable(
          tenantId,
          userId,
          view,
          context,
          'the agent has not installed the app',
        );
        continue;
      }
      const to = toAgentConversation(conversation);
      // Queued in order now; links are written as the sends complete.
      void this.deps.outbox
        .send(to, view, context)
        .then(async (delivery) => {
          if (delivery.ok) await Promise.all(delivery.ids.map((id) => this.deps.cards.link(to, id, task)));
        })
        .catch((err: unknown) =>
          this.deps.log.error({ err, tenantId, chatId }, 'remembering a relayed message failed'),
        );
    }
  }

  /** The agent wrote to a customer: split to the chat's message limit and store under the agent's name. */
  async postFromAgent(
    task: Pick<Task, 'tenantId' | 'chatId' | 'target'>,
    agentDisplayName: string,
    text: string,
  ): Promise<PostResult> {
    const chat = await this.deps.chats.get(task.tenantId, task.chatId);
    if (!chat) return refuse('chat-not-found');
    const name =
      chat.agent?.displayName ??
      agentNameForCustomer((await taskContext(this.deps.store, task)).messages, agentDisplayName);
    for (const part of splitText(text, { maxChars: MAX_MESSAGE_LENGTH })) {
      const result = await this.deps.chats.postMessage(task.tenantId, task.chatId, 'agent', name, part);
      if (!result.ok) return refuse(result.refusal);
    }
    return ok(null);
  }
}
