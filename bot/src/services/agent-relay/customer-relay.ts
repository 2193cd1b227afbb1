import type { Logger } from 'pino';
import { type Chat, type ChatEvent, MAX_MESSAGE_LENGTH, type Task, agentNameForCustomer } from '../../core/model';
import { messagesToRelay, splitText, withoutHoles } from '../../core/relay';
import { type Store, type Stored, type TeamsRepositories, teamsScope } from '../../store';
import type { TeamsSessionCard } from '../../store/teams-repositories';
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

/**
 * The instances on one Cosmos as the relay needs them (the InstanceRegistry): which one this is, whether
 * another is still alive, and word when one departs.
 */
export type RelayOwnership = {
  readonly id: string;
  isLive(id: string): boolean;
  onDeparture(listener: () => void): () => void;
};

/** How many chats owned elsewhere an instance remembers (to take them over when their owner departs). */
const WATCHED_CHATS = 10_000;

/** How long an event number taken but not yet stored (by another instance) holds the relay of what follows. */
const HOLE_WAIT_MS = 5_000;

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
  /** Absent: this is the only instance, and it relays every chat. */
  ownership?: RelayOwnership;
};

/**
 * Messages between a customer's chat and the agent's Teams conversation.
 *
 * Customer → agent: every customer message of a connected chat (and every note in it for the agent) is
 * relayed, in chat order. With several instances one of them owns a chat's relay (named on the agent's
 * session card, claimed with a conditional write by the first instance to relay, taken over by another
 * when the registry no longer sees it alive); the others leave the chat's messages to it, and it learns
 * of them through the change feed. How far a chat has been relayed is kept on the card (the chat's event
 * sequence number) and moved forward after each message is sent: a message stored is relayed even when
 * the instance that took it dies, and only a crash between a send and its cursor write repeats one.
 * Work on one chat is serialised in this process.
 *
 * Agent → customer: stored in the chat under the agent's customer-facing name; the chat log delivers it.
 */
export class CustomerRelay {
  private readonly chains = new Map<string, Promise<void>>();
  /** Chats whose relay another instance owns, by chat key: the owner (oldest first, for the bound). */
  private readonly ownedElsewhere = new Map<string, { tenantId: string; chatId: string; owner: string }>();
  private readonly stopDepartures: (() => void) | undefined;
  /** Chats held by a hole, looked at again when it stops holding (the missing event usually comes first). */
  private readonly lookAgainTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: CustomerRelayDeps) {
    this.stopDepartures = deps.ownership?.onDeparture(() => this.takeOverDeparted());
  }

  /** Stops following departures. */
  stop(): void {
    this.stopDepartures?.();
    this.ownedElsewhere.clear();
    for (const timer of this.lookAgainTimers.values()) clearTimeout(timer);
    this.lookAgainTimers.clear();
  }

  private lookAgain(tenantId: string, chatId: string, ms: number): void {
    const key = `${tenantId}|${chatId}`;
    if (this.lookAgainTimers.has(key)) return;
    const timer = setTimeout(() => {
      this.lookAgainTimers.delete(key);
      void this.catchUp(tenantId, chatId);
    }, ms);
    timer.unref();
    this.lookAgainTimers.set(key, timer);
  }

  /**
   * A chat event for the agent, stored here or (from the change feed) by another instance: relayed here
   * unless a live instance is known to own the chat, which is left to it (no read here).
   */
  chatEvent(tenantId: string, chatId: string, known?: Known): Promise<void> | undefined {
    const elsewhere = this.ownedElsewhere.get(`${tenantId}|${chatId}`);
    if (elsewhere && this.deps.ownership?.isLive(elsewhere.owner)) return undefined;
    return this.catchUp(tenantId, chatId, known);
  }

  /** An instance departed: the chats it owned that this one knows of are relayed from where it stopped. */
  private takeOverDeparted(): void {
    const ownership = this.deps.ownership;
    if (!ownership) return;
    for (const [key, { tenantId, chatId, owner }] of [...this.ownedElsewhere]) {
      if (ownership.isLive(owner)) continue;
      this.ownedElsewhere.delete(key);
      void this.catchUp(tenantId, chatId);
    }
  }

  private rememberOwner(tenantId: string, chatId: string, owner: string): void {
    const key = `${tenantId}|${chatId}`;
    this.ownedElsewhere.delete(key);
    this.ownedElsewhere.set(key, { tenantId, chatId, owner });
    if (this.ownedElsewhere.size > WATCHED_CHATS) {
      const oldest = this.ownedElsewhere.keys().next().value;
      if (oldest !== undefined) this.ownedElsewhere.delete(oldest);
    }
  }

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
    const { firstMessage } = at;
    const userId = at.card.userId;
    const ref = { tenantId, chatId, id: chat.task.id, queue: chat.task.queue };
    const card = await this.claim(at.card, chatId);
    if (!card) return;
    this.ownedElsewhere.delete(`${tenantId}|${chatId}`);

    const latest = known?.event;
    const events =
      latest && latest.seq === card.relayedSeq + 1
        ? [latest]
        : await this.deps.chats.eventsAfter(tenantId, chatId, card.relayedSeq);
    const ready = withoutHoles(events, card.relayedSeq, this.deps.clock.now(), HOLE_WAIT_MS);
    if (ready.retryInMs !== undefined) this.lookAgain(tenantId, chatId, ready.retryInMs);
    const { messages, cursor } = messagesToRelay(ready.events, card.relayedSeq, firstMessage);
    if (messages.length === 0) {
      if (cursor > card.relayedSeq) await this.advance(card, cursor);
      return;
    }

    const conversation = await this.deps.directory.conversation(tenantId, userId);
    let current = card;
    for (const [n, message] of messages.entries()) {
      const customerName = chat.customer.displayName;
      const view: AgentView =
        message.from === 'customer'
          ? { kind: 'customer-message', chatId, customerName, channel: chat.channel, text: message.text }
          : message.supervision
            ? {
                kind: 'supervisor-message',
                chatId,
                customerName,
                supervisorName: message.authorName,
                supervision: message.supervision,
                text: message.text,
              }
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
      } else {
        const to = toAgentConversation(conversation);
        const delivery = await this.deps.outbox.send(to, view, context);
        // Stopping: the cursor stays, so the instance that takes the chat over sends it.
        if (!delivery.ok && delivery.closed) return;
        if (delivery.ok)
          await Promise.all(delivery.ids.map((id) => this.deps.cards.link(to, id, ref))).catch((err: unknown) =>
            this.deps.log.error({ err, tenantId, chatId }, 'remembering a relayed message failed'),
          );
      }
      // Sent (or recorded as failed): the cursor passes it, and past the events up to the next one.
      const upTo = n === messages.length - 1 ? cursor : messages[n + 1]!.seq - 1;
      const moved = await this.advance(current, upTo);
      if (!moved) return;
      current = moved;
    }
  }

  /**
   * The card as this instance's to relay: already its own, claimed from nobody or from a departed
   * instance (a conditional write), or undefined when a live instance owns the chat.
   */
  private async claim(card: Stored<TeamsSessionCard>, chatId: string): Promise<Stored<TeamsSessionCard> | undefined> {
    const ownership = this.deps.ownership;
    if (!ownership || card.relayOwner === ownership.id) return card;
    const otherLive = (c: TeamsSessionCard) =>
      !!c.relayOwner && c.relayOwner !== ownership.id && ownership.isLive(c.relayOwner);
    const claimed = await this.deps.repos.sessionCards.update(
      card.tenantId,
      card.id,
      async (c) =>
        c.relayOwner === ownership.id || otherLive(c)
          ? undefined
          : { ...c, relayOwner: ownership.id, updatedAt: this.deps.clock.now() },
      { scope: teamsScope(card.userId), maxAttempts: 20, current: card },
    );
    if (claimed.relayOwner === ownership.id) return claimed;
    if (claimed.relayOwner) this.rememberOwner(card.tenantId, chatId, claimed.relayOwner);
    return undefined;
  }

  /** Moves the relay cursor to `seq`, while this instance still owns the chat; undefined when it does not. */
  private async advance(card: Stored<TeamsSessionCard>, seq: number): Promise<Stored<TeamsSessionCard> | undefined> {
    const me = this.deps.ownership?.id;
    let mine = true;
    const written = await this.deps.repos.sessionCards.update(
      card.tenantId,
      card.id,
      async (c) => {
        mine = me === undefined || c.relayOwner === me || !c.relayOwner;
        if (!mine || seq <= c.relayedSeq) return undefined;
        return { ...c, relayedSeq: seq, updatedAt: this.deps.clock.now() };
      },
      { scope: teamsScope(card.userId), maxAttempts: 20, current: card },
    );
    return mine ? written : undefined;
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
