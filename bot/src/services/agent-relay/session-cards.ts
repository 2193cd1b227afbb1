import { createHash } from 'node:crypto';
import type { Chat, Offer, Task, TaskReport } from '../../core/model';
import { type CardStatus, cardStatus } from '../../core/relay';
import {
  AlreadyExistsError,
  type Store,
  type Stored,
  type TeamsRepositories,
  teamsScope,
  userScope,
} from '../../store';
import { type TeamsSessionCard, sessionCardId } from '../../store/teams-repositories';
import type { ChatService } from '../chat/chat-service';
import { type Routing, type TaskRef, refOf } from '../routing';
import type { Clock } from '../routing/clock';
import { type AgentDirectory, toAgentConversation } from './agent-directory';
import { type AgentOutbox, conversationGone } from './agent-outbox';
import { taskContext } from './task-context';
import type { AgentConversation, AgentView, SessionCardView } from './views';

/** The fields of a task a card shows; a task report has them too, once the task is gone. */
type CardSource = Pick<
  Task,
  'tenantId' | 'id' | 'target' | 'chatId' | 'customer' | 'channel' | 'createdAt' | 'connectedAt' | 'outcome'
> & {
  firstMessage: string | null;
};

/** A card as an action answers with it: the card, or null when nothing about the task is left. */
export type CardAnswer = { view: SessionCardView } | { view: null };

const linkId = (activityId: string): string => `msg-${createHash('sha256').update(activityId).digest('base64url')}`;

export type SessionCardsDeps = {
  store: Store;
  repos: Pick<TeamsRepositories, 'sessionCards' | 'messageLinks'>;
  routing: Routing;
  chats: ChatService;
  directory: AgentDirectory;
  outbox: AgentOutbox;
  clock: Clock;
};

/**
 * Offer and session cards: one card per task and agent, sent when the task is offered and updated in
 * place at every step (accepted, declined, not answered, withdrawn, ended), so no card keeps buttons
 * that no longer work. A card answered by its own button is drawn by that answer (Teams replaces the
 * card with it); the event of the same change then leaves the card alone.
 */
export class SessionCards {
  /** Changes being made from a card in this process, by `offer:<id>` or `end:<taskId>`. */
  private readonly acting = new Set<string>();
  /** Ids of cards still on their way, so an update queued behind the send finds its card. */
  private readonly sending = new Map<string, Promise<string | null>>();

  constructor(private readonly deps: SessionCardsDeps) {}

  /** A change made from a card: events of it do not update the card a second time. */
  async actOn<T>(key: `offer:${string}` | `end:${string}`, work: () => Promise<T>): Promise<T> {
    this.acting.add(key);
    try {
      return await work();
    } finally {
      this.acting.delete(key);
    }
  }

  async find(tenantId: string, userId: string, taskId: string): Promise<Stored<TeamsSessionCard> | undefined> {
    return this.deps.repos.sessionCards.find(tenantId, sessionCardId(taskId), teamsScope(userId));
  }

  /** The view of a task's card for one agent as things stand now (live task, else its report). */
  async currentView(tenantId: string, userId: string, ref: TaskRef, offerId: string | null): Promise<CardAnswer> {
    const task = await this.deps.routing.tasks.get(ref);
    if (task) {
      const offer = offerId === null ? null : (task.offers.find((o) => o.id === offerId) ?? null);
      return { view: await this.viewOf(task, offer, cardStatus(task, offer, userId)) };
    }
    const [report, session] = await Promise.all([
      this.deps.store.repos.taskReports.find(tenantId, ref.taskId, ref.queue),
      offerId === null ? undefined : this.deps.store.repos.userSessions.find(tenantId, offerId, userScope(userId)),
    ]);
    if (!report) return { view: null };
    // After the end only the reports are left: the agent's session report says how their offer ended
    // (a declined direct contact ends the task at once); without it, it was accepted if the session was theirs.
    const reported =
      offerId !== null && session?.userId === userId
        ? { id: offerId, state: session.outcome, offeredAt: session.offeredAt, respondedAt: session.respondedAt }
        : null;
    const offer =
      offerId === null
        ? null
        : (reported ?? { state: report.acceptedByUserId === userId ? ('accepted' as const) : ('withdrawn' as const) });
    const status = cardStatus(
      { state: 'ended', assignedUserId: report.acceptedByUserId, outcome: report.outcome },
      offer,
      userId,
    );
    return { view: await this.viewOf(sourceOfReport(report), reported, status) };
  }

  /** Records what a card shows now (after an action drew it). */
  async setState(tenantId: string, userId: string, taskId: string, state: TeamsSessionCard['state']): Promise<void> {
    const card = await this.find(tenantId, userId, taskId);
    if (!card || card.state === state) return;
    await this.deps.repos.sessionCards.update(
      tenantId,
      card.id,
      (c) => (c.state === state ? undefined : { ...c, state, updatedAt: this.deps.clock.now() }),
      { scope: teamsScope(userId) },
    );
  }

  /** A task was offered to an agent: send the card with Accept and Decline. */
  async offered(task: Task, offer: Offer): Promise<void> {
    await this.deps.repos.sessionCards.upsert(this.newCard(task, offer.userId, offer.id));
    const sent = await this.deliverNew(
      task,
      offer.userId,
      await this.viewOf(task, offer, { state: 'offered', withdrawnReason: null }),
      'offer-card',
    );
    if (sent === 'unreachable') await this.unreachable(task, offer);
  }

  /**
   * The offer card cannot reach the agent (no conversation, or the connector refuses for good): the
   * agent is marked not reachable first, so the released capacity does not bring the task straight
   * back to them, then the offer is withdrawn without RONA and the task goes to the next agent.
   */
  private async unreachable(task: Task, offer: Offer): Promise<void> {
    await this.deps.routing.agents.setReachable(task.tenantId, offer.userId, false);
    await this.deps.routing.tasks.withdrawOffer(refOf(task), offer.id);
  }

  /**
   * The session card of a connected task, created when it is missing: a task claimed without an offer
   * gets its card now; an accepted offer whose card is unknown here gets a record to relay against.
   */
  async ensure(task: Task): Promise<Stored<TeamsSessionCard> | undefined> {
    const userId = task.assignedUserId;
    if (task.state !== 'connected' || !userId) return undefined;
    const existing = await this.find(task.tenantId, userId, task.id);
    if (existing) return existing;
    const accepted = task.offers.find((o) => o.state === 'accepted' && o.userId === userId) ?? null;
    try {
      await this.deps.repos.sessionCards.create({
        ...this.newCard(task, userId, accepted?.id ?? null),
        state: 'accepted',
      });
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      return this.find(task.tenantId, userId, task.id);
    }
    if (!accepted)
      await this.deliverNew(
        task,
        userId,
        await this.viewOf(task, null, { state: 'accepted', withdrawnReason: null }),
        'offer-card',
      );
    return this.find(task.tenantId, userId, task.id);
  }

  /** An offer stopped being pending. Skipped (synchronously) when the agent's own button did it. */
  resolved(task: Task, offer: Offer): Promise<void> | undefined {
    if (this.acting.has(`offer:${offer.id}`)) return undefined;
    return this.redraw(task, offer.userId, offer);
  }

  /** A connected task ended: the session card shows the end, and the agent hears if the customer left. */
  ended(task: Task, report: TaskReport): Promise<void> | undefined {
    const userId = task.assignedUserId;
    if (!userId) return undefined;
    const fromCard = this.acting.has(`end:${task.id}`);
    return (async () => {
      const offer = task.offers.find((o) => o.state === 'accepted' && o.userId === userId) ?? null;
      // Read once: the card says whether the customer left, and so does the notice below.
      const chat = await this.deps.chats.get(task.tenantId, task.chatId);
      if (!fromCard) await this.redraw(task, userId, offer, chat);
      if (report.outcome === 'transferred') return;
      if (chat?.endedBy !== 'customer') return;
      const conversation = await this.deps.directory.conversation(task.tenantId, userId);
      const notice = {
        kind: 'notice' as const,
        notice: { code: 'customer-left' as const, customerName: task.customer.displayName },
      };
      if (conversation)
        await this.deps.outbox.send(toAgentConversation(conversation), notice, {
          what: 'notice',
          chatId: task.chatId,
          customerName: task.customer.displayName,
        });
    })();
  }

  /**
   * A supervisor took the chat over: the agent's card says so (no live buttons), the agent is told,
   * and the supervisor gets the session's card (the relay then sends them the conversation so far).
   */
  async takenOver(task: Task, fromUserId: string): Promise<void> {
    const offer = task.offers.find((o) => o.userId === fromUserId && o.handedOverAt !== undefined) ?? null;
    await this.redraw(task, fromUserId, offer);
    const supervisor = task.assignedUserId
      ? await this.deps.store.repos.users.find(task.tenantId, task.assignedUserId)
      : undefined;
    const customerName = task.customer.displayName;
    const tell = async (userId: string, notice: Extract<AgentView, { kind: 'notice' }>['notice']) => {
      const conversation = await this.deps.directory.conversation(task.tenantId, userId);
      if (conversation)
        await this.deps.outbox.send(
          toAgentConversation(conversation),
          { kind: 'notice', notice },
          {
            what: 'notice',
            chatId: task.chatId,
            customerName,
          },
        );
    };
    await tell(fromUserId, {
      code: 'taken-over',
      customerName,
      supervisorName: supervisor?.displayName ?? 'A supervisor',
    });
    if (task.assignedUserId) {
      await tell(task.assignedUserId, { code: 'took-over', customerName });
      await this.ensure(task);
    }
  }

  /** Updates an agent's card to what the task says now. */
  private async redraw(task: Task, userId: string, offer: Offer | null, chat?: Chat): Promise<void> {
    const card = await this.find(task.tenantId, userId, task.id);
    // No card, or the card of a later offer of the same task: nothing of this offer to update.
    if (!card || (offer !== null && card.offerId !== offer.id)) return;
    const status = cardStatus(task, offer, userId);
    const view = await this.viewOf(task, offer, status, chat);
    await this.setState(task.tenantId, userId, task.id, status.state);
    const conversation = await this.deps.directory.conversation(task.tenantId, userId);
    if (!conversation) return;
    const key = `${task.tenantId}|${userId}|${task.id}`;
    await this.deps.outbox.update(
      toAgentConversation(conversation),
      () => this.activityIdOf(key, task.tenantId, userId, task.id),
      { kind: 'session-card', card: view },
      {
        what: 'card-update',
        chatId: task.chatId,
        customerName: task.customer.displayName,
      },
    );
  }

  private async activityIdOf(key: string, tenantId: string, userId: string, taskId: string): Promise<string | null> {
    const inFlight = this.sending.get(key);
    if (inFlight) return inFlight;
    return (await this.find(tenantId, userId, taskId))?.activityId ?? null;
  }

  /** Sends a new card; 'unreachable' when the agent cannot get anything from the bot now. */
  private async deliverNew(
    task: Task,
    userId: string,
    view: SessionCardView,
    what: 'offer-card',
  ): Promise<'sent' | 'failed' | 'unreachable'> {
    const conversation = await this.deps.directory.conversation(task.tenantId, userId);
    const context = { what, chatId: task.chatId, customerName: task.customer.displayName };
    if (!conversation) {
      await this.deps.outbox.recordUndeliverable(
        task.tenantId,
        userId,
        { kind: 'session-card', card: view },
        context,
        'the agent has not installed the app',
      );
      return 'unreachable';
    }
    const to = toAgentConversation(conversation);
    const key = `${task.tenantId}|${userId}|${task.id}`;
    const delivery = this.deps.outbox.send(to, { kind: 'session-card', card: view }, context);
    const id = delivery.then((d) => (d.ok ? (d.ids[0] ?? null) : null));
    this.sending.set(key, id);
    try {
      const activityId = await id;
      if (activityId === null) {
        const result = await delivery;
        return !result.ok && conversationGone(result.status) ? 'unreachable' : 'failed';
      }
      const card = await this.deps.repos.sessionCards.update(
        task.tenantId,
        sessionCardId(task.id),
        (c) => (c.activityId === activityId ? undefined : { ...c, activityId }),
        { scope: teamsScope(userId) },
      );
      await this.link(to, activityId, { ...task, queue: refOf(task).queue });
      // The offer may have moved on while its card was on the way (an update then found no card to
      // update): draw what holds now, so no live button stays on a card that is over.
      if (card.state !== view.state) {
        const answer = await this.currentView(task.tenantId, userId, refOf(task), card.offerId);
        if (answer.view)
          await this.deps.outbox.update(
            to,
            async () => activityId,
            { kind: 'session-card', card: answer.view },
            { what: 'card-update', chatId: task.chatId, customerName: task.customer.displayName },
          );
      }
      return 'sent';
    } finally {
      if (this.sending.get(key) === id) this.sending.delete(key);
    }
  }

  /** Remembers which chat a message to the agent belongs to, so quoting it picks that chat. */
  async link(
    to: AgentConversation,
    activityId: string,
    task: Pick<Task, 'id' | 'chatId' | 'tenantId'> & { queue: string },
  ): Promise<void> {
    await this.deps.repos.messageLinks.upsert({
      id: linkId(activityId),
      tenantId: to.tenantId,
      type: 'teamsMessageLink',
      userId: to.userId,
      activityId,
      chatId: task.chatId,
      taskId: task.id,
      queue: task.queue,
      at: this.deps.clock.now(),
    });
  }

  /** The chat a quoted message belongs to, if the bot posted it for one. */
  async chatOfMessage(tenantId: string, userId: string, activityId: string): Promise<string | undefined> {
    const link = await this.deps.repos.messageLinks.find(tenantId, linkId(activityId), teamsScope(userId));
    return link?.activityId === activityId ? link.chatId : undefined;
  }

  async viewOf(
    task: CardSource,
    offer: (Pick<Offer, 'offeredAt' | 'id'> & Partial<Pick<Offer, 'expiresAt' | 'respondedAt'>>) | null,
    status: CardStatus,
    /** The task's chat, when the caller has read it already. */
    known?: Chat,
  ): Promise<SessionCardView> {
    const outcome = status.state === 'ended' ? task.outcome : null;
    // Only a chat that was going on can be left: then who ended it is worth saying on the card.
    const [{ serviceName, messages }, chat] = await Promise.all([
      taskContext(this.deps.store, task),
      outcome === 'accepted' ? (known ?? this.deps.chats.get(task.tenantId, task.chatId)) : undefined,
    ]);
    const agentMessage =
      status.state === 'accepted'
        ? (messages?.toAgent.onAccept ?? null)
        : status.state === 'ended'
          ? (messages?.toAgent.onEnd ?? null)
          : null;
    const waitedUntil = offer?.offeredAt ?? task.connectedAt ?? this.deps.clock.now();
    return {
      state: status.state,
      ref: refOf(task),
      offerId: offer?.id ?? null,
      chatId: task.chatId,
      customer: task.customer,
      channel: task.channel,
      serviceName,
      firstMessage: task.firstMessage,
      waitedMs: Math.max(0, waitedUntil - task.createdAt),
      rangMs:
        (status.state === 'missed' || status.state === 'declined') && typeof offer?.respondedAt === 'number'
          ? Math.max(0, offer.respondedAt - offer.offeredAt)
          : null,
      expiresAt: status.state === 'offered' ? (offer?.expiresAt ?? null) : null,
      withdrawnReason: status.withdrawnReason,
      outcome,
      customerLeft: chat?.endedBy === 'customer',
      agentMessage,
    };
  }

  private newCard(task: Task, userId: string, offerId: string | null): TeamsSessionCard {
    return {
      id: sessionCardId(task.id),
      tenantId: task.tenantId,
      type: 'teamsSessionCard',
      userId,
      taskId: task.id,
      queue: refOf(task).queue,
      chatId: task.chatId,
      offerId,
      activityId: null,
      state: 'offered',
      relayedSeq: 0,
      updatedAt: this.deps.clock.now(),
    };
  }
}

const sourceOfReport = (r: TaskReport): CardSource => ({
  tenantId: r.tenantId,
  id: r.id,
  target: r.target,
  chatId: r.chatId,
  customer: r.customer,
  channel: r.channel,
  createdAt: r.createdAt,
  connectedAt: r.connectedAt,
  firstMessage: null,
  outcome: r.outcome,
});
