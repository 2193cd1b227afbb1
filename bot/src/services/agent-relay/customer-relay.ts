import type { Logger } from 'pino';
import { type Chat, type ChatEvent, MAX_MESSAGE_LENGTH, type Task, agentNameForCustomer } from '../../core/model';
import { messagesToRelay, splitText } from '../../core/relay';
import { type Store, type Stored, type TeamsRepositories, teamsScope } from '../../store';
import { type TeamsSessionCard, sessionCardId } from '../../store/teams-repositories';
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

/** What a listener got with a chat event: the chat as the event left it, and the event. */
type Known = { chat: Chat; event?: ChatEvent };

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
  catchUp(tenantId: string, chatId: string, known?: Known): Promise<void> {
    const key = `${tenantId}|${chatId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.relayPending(tenantId, chatId, known))
      .catch((err: unknown) =>
        this.deps.log.error({ err, tenantId, chatId }, 'relaying customer messages to the agent failed'),
      );
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /**
   * `known`: the chat as an event just left it (what is read of it, task, agent, customer and channel,
   * does not move with later events) and that event, relayed without reading the log when it is the
   * next one.
   */
  private async relayPending(tenantId: string, chatId: string, known?: Known): Promise<void> {
    const chat = known?.chat ?? (await this.deps.chats.get(tenantId, chatId));
    if (!chat?.task) return;
    const at = await this.relayTarget(chat, chat.task);
    if (!at) return;
    const { card, firstMessage } = at;
    const userId = card.userId;
    const ref = { tenantId, chatId, id: chat.task.id, queue: chat.task.queue };

    let pending: ReturnType<typeof messagesToRelay>['messages'] = [];
    await this.deps.repos.sessionCards.update(
      tenantId,
      sessionCardId(chat.task.id),
      async (card) => {
        const latest = known?.event;
        const events =
          latest && latest.seq === card.relayedSeq + 1
            ? [latest]
            : await this.deps.chats.eventsAfter(tenantId, chatId, card.relayedSeq);
        const next = messagesToRelay(events, card.relayedSeq, firstMessage);
        pending = next.messages;
        return next.cursor > card.relayedSeq
          ? { ...card, relayedSeq: next.cursor, updatedAt: this.deps.clock.now() }
          : undefined;
      },
      { scope: teamsScope(userId), maxAttempts: 20, current: card },
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
          if (delivery.ok) await Promise.all(delivery.ids.map((id) => this.deps.cards.link(to, id, ref)));
        })
        .catch((err: unknown) =>
          this.deps.log.error({ err, tenantId, chatId }, 'remembering a relayed message failed'),
        );
    }
  }

  /**
   * The session card to relay against, and the task's first message when it still matters (nothing
   * relayed yet). A chat that names its agent, whose card is in progress and past its first message,
   * needs no task read; otherwise the task decides: connected, and to whom.
   */
  private async relayTarget(
    chat: Chat,
    current: NonNullable<Chat['task']>,
  ): Promise<{ card: Stored<TeamsSessionCard>; firstMessage: string | null } | undefined> {
    if (chat.agent) {
      const card = await this.deps.cards.find(chat.tenantId, chat.agent.userId, current.id);
      if (card && card.state === 'accepted' && card.relayedSeq > 0) return { card, firstMessage: null };
    }
    const task = await this.deps.routing.tasks.get({
      tenantId: chat.tenantId,
      queue: current.queue,
      taskId: current.id,
    });
    // Before the accept the messages wait in the chat; the connect catches up with them.
    if (!task || task.state !== 'connected' || !task.assignedUserId) return undefined;
    const card = await this.deps.cards.ensure(task);
    return card ? { card, firstMessage: task.firstMessage } : undefined;
  }

  /** The agent wrote to a customer: split to the chat's message limit and store under the agent's name. */
  async postFromAgent(
    task: Pick<Task, 'tenantId' | 'chatId' | 'target'>,
    agentDisplayName: string,
    text: string,
    known?: Chat,
  ): Promise<PostResult> {
    // The chat as the caller just read it: the agent's customer-facing name does not change in a session.
    const chat = known?.id === task.chatId ? known : await this.deps.chats.get(task.tenantId, task.chatId);
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
