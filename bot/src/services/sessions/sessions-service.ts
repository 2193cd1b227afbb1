import {
  type AgentState,
  type Chat,
  type ChatEvent,
  type Customer,
  type ImChannel,
  type Presence,
  type SessionWrapUp,
  type Task,
  type TaskOutcome,
  type TaskTarget,
  type UserSessionReport,
  wrapUpId,
} from '../../core/model';
import { type EffectivePresence, effectivePresence } from '../../core/routing';
import { AGENTS_SCOPE, type Store, type Stored, queueScope, userScope } from '../../store';
import { taskContext } from '../agent-relay/task-context';
import type { ChatService } from '../chat/chat-service';
import type { Routing } from '../routing';
import type { RoutingEvent } from '../routing/events';
import type { TaskRef } from '../routing/refs';
import { type Result, ok, refuse } from '../../core/result';
import { type PickupRefusal, type PickupTaskView, PickupQueues } from './pickup-queues';

/** Named refusals of My Sessions; the tab API maps them to HTTP in one place. */
export type SessionRefusal =
  /** No such session, or not one of this agent's: the two are not told apart. */
  | 'session-not-found'
  | 'offer-not-found'
  | 'offer-gone'
  | 'session-ended'
  | 'not-accepted'
  | 'not-selectable'
  | PickupRefusal;

export type SessionResult<T> = Result<T, SessionRefusal>;

export type TargetView = { kind: TaskTarget['kind']; id: string; name: string };

export type OfferView = {
  taskId: string;
  offerId: string;
  customer: Customer;
  channel: ImChannel;
  target: TargetView;
  firstMessage: string | null;
  offeredAt: number;
  expiresAt: number;
};

export type ActiveSessionView = {
  chatId: string;
  taskId: string;
  customer: Customer;
  channel: ImChannel;
  target: TargetView;
  connectedAt: number | null;
  lastSeq: number;
};

export type AgentView = {
  presence: Presence;
  rona: { until: number; reason: 'declined' | 'no-answer' } | null;
  notAvailableReason: string | null;
  activeChats: number;
  effective: EffectivePresence;
};

export type Overview = { agent: AgentView; offers: OfferView[]; active: ActiveSessionView[] };

export type SessionDetail = {
  chatId: string;
  taskId: string | null;
  state: Chat['state'];
  /** True while the agent can still write: the task is connected to them and the chat open. */
  live: boolean;
  customer: Customer;
  channel: ImChannel;
  target: TargetView;
  firstMessage: string | null;
  /** Parameters the workflow collected (Collect Information, Input Customer, web requests). */
  parameters: Record<string, string>;
  createdAt: number;
  connectedAt: number | null;
  endedAt: number | null;
  endedBy: Chat['endedBy'];
  lastSeq: number;
  /** The direct system messages for the agent (as the Teams session card shows them). */
  agentMessages: { onAccept: string | null; onEnd: string | null };
};

export type HistoryItem = {
  sessionId: string;
  taskId: string;
  customer: Customer;
  channel: ImChannel;
  target: TargetView;
  /** How the offer ended for this agent: accepted, declined, not answered (RONA) or withdrawn. */
  outcome: UserSessionReport['outcome'];
  /** For accepted sessions: how the conversation ended; null while it goes on. */
  taskOutcome: TaskOutcome | null;
  offeredAt: number;
  respondedAt: number;
  endedAt: number | null;
  wrapUp: WrapUpView | null;
};

export type WrapUpView = Pick<SessionWrapUp, 'code' | 'tags' | 'note' | 'updatedAt'>;
export type WrapUpInput = Pick<SessionWrapUp, 'code' | 'tags' | 'note'>;

export type HistoryDetail = HistoryItem & { chatId: string | null; firstMessage: string | null; events: ChatEvent[] };

/** Where the parameters collected by a session's workflow come from (the workflow engine plugs in here). */
export type ParametersSource = (tenantId: string, taskId: string) => Promise<Record<string, string> | undefined>;

/** Things that change what an agent's My Sessions shows; the tab refetches on each. */
export type AgentNotice = { kind: 'offers' | 'sessions' | 'availability' | 'pickup' | 'messages' };

const HISTORY_SIZE = 50;

/**
 * My Sessions of one agent: offers waiting for them, their live chats, their availability and their
 * history. Every read starts from the agent's own documents (their agent state, their report
 * partition), so an agent only ever reaches sessions that were offered or assigned to them.
 */
export class SessionsService {
  private readonly pickup: PickupQueues;

  constructor(
    private readonly store: Store,
    private readonly routing: Pick<Routing, 'tasks' | 'agents' | 'events' | 'setPresence'>,
    private readonly chats: ChatService,
    private readonly clock: { now(): number },
    private readonly parametersOf: ParametersSource = async () => undefined,
  ) {
    this.pickup = new PickupQueues(store, routing.tasks, clock);
  }

  private async targetNames(tenantId: string): Promise<(target: TaskTarget) => TargetView> {
    const services = await this.store.repos.services.all(tenantId);
    const names = new Map(services.map((s) => [s.id, s.name]));
    return (target) =>
      target.kind === 'service'
        ? { kind: 'service', id: target.serviceId, name: names.get(target.serviceId) ?? 'Removed service' }
        : { kind: 'user', id: target.userId, name: 'Direct contact' };
  }

  private agentView(agent: AgentState | undefined, now: number): AgentView {
    if (!agent)
      return {
        presence: 'offline',
        rona: null,
        notAvailableReason: null,
        activeChats: 0,
        effective: effectivePresence(undefined),
      };
    return {
      presence: agent.presence,
      rona: agent.rona && agent.rona.until > now ? { until: agent.rona.until, reason: agent.rona.reason } : null,
      notAvailableReason: agent.notAvailableReason,
      activeChats: agent.slots.filter((s) => s.kind === 'chat').length,
      effective: effectivePresence(agent),
    };
  }

  async overview(tenantId: string, userId: string): Promise<Overview> {
    const agent = await this.store.repos.agents.find(tenantId, userId, AGENTS_SCOPE);
    const nameOf = await this.targetNames(tenantId);
    const slots = agent?.slots ?? [];
    const tasks = await Promise.all(
      slots.map(async (slot) => ({ slot, task: await this.store.repos.tasks.find(tenantId, slot.taskId, slot.queue) })),
    );
    const offers: OfferView[] = [];
    const active: ActiveSessionView[] = [];
    for (const { slot, task } of tasks) {
      if (!task) continue;
      const base = { taskId: task.id, customer: task.customer, channel: task.channel, target: nameOf(task.target) };
      if (slot.kind === 'offer') {
        const offer = task.offers.find((o) => o.userId === userId && o.state === 'pending');
        if (offer && task.state === 'queued')
          offers.push({
            ...base,
            offerId: offer.id,
            firstMessage: task.firstMessage,
            offeredAt: offer.offeredAt,
            expiresAt: offer.expiresAt,
          });
      } else if (slot.kind === 'chat' && task.state === 'connected' && task.assignedUserId === userId) {
        const chat = await this.chats.get(tenantId, task.chatId);
        if (chat) active.push({ ...base, chatId: chat.id, connectedAt: task.connectedAt, lastSeq: chat.lastSeq });
      }
    }
    offers.sort((a, b) => a.offeredAt - b.offeredAt);
    active.sort((a, b) => (a.connectedAt ?? 0) - (b.connectedAt ?? 0));
    return { agent: this.agentView(agent, this.clock.now()), offers, active };
  }

  async setPresence(tenantId: string, userId: string, presence: Presence): Promise<AgentView> {
    return this.agentView(await this.routing.setPresence(tenantId, userId, presence), this.clock.now());
  }

  async resetRona(tenantId: string, userId: string): Promise<AgentView> {
    return this.agentView(await this.routing.agents.resetRona(tenantId, userId), this.clock.now());
  }

  /** The agent's pending offer of a task, found through their own slots (never through the task id alone). */
  private async pendingOffer(
    tenantId: string,
    userId: string,
    taskId: string,
  ): Promise<SessionResult<{ ref: TaskRef; offerId: string }>> {
    const agent = await this.store.repos.agents.find(tenantId, userId, AGENTS_SCOPE);
    const slot = agent?.slots.find((s) => s.taskId === taskId && s.kind === 'offer');
    if (!slot) return refuse('offer-not-found');
    const task = await this.store.repos.tasks.find(tenantId, taskId, slot.queue);
    const offer = task?.offers.find((o) => o.userId === userId && o.state === 'pending');
    if (!task || !offer) return refuse('offer-gone');
    return ok({ ref: { tenantId, queue: slot.queue, taskId }, offerId: offer.id });
  }

  async accept(tenantId: string, userId: string, taskId: string): Promise<SessionResult<{ chatId: string }>> {
    const found = await this.pendingOffer(tenantId, userId, taskId);
    if (!found.ok) return found;
    const result = await this.routing.tasks.accept(found.value.ref, found.value.offerId, userId);
    if (!result.ok) return refuse(result.refusal === 'not-selectable' ? 'not-selectable' : 'offer-gone');
    return ok({ chatId: result.value.chatId });
  }

  async decline(tenantId: string, userId: string, taskId: string): Promise<SessionResult<null>> {
    const found = await this.pendingOffer(tenantId, userId, taskId);
    if (!found.ok) return found;
    const result = await this.routing.tasks.decline(found.value.ref, found.value.offerId, userId);
    return result.ok ? ok(null) : refuse('offer-gone');
  }

  /** Tasks waiting in the Pickup queues of the agent's services, oldest first. */
  async pickupQueue(tenantId: string, userId: string): Promise<Omit<PickupTaskView, 'ref'>[]> {
    return (await this.pickup.waiting(tenantId, userId)).map(({ ref: _ref, ...task }) => task);
  }

  /** Claims a waiting Pickup task: it connects to this agent, or the refusal says who was faster. */
  async claimPickup(
    tenantId: string,
    userId: string,
    serviceId: string,
    taskId: string,
  ): Promise<SessionResult<{ chatId: string }>> {
    const result = await this.pickup.claim(tenantId, userId, serviceId, taskId);
    return result.ok ? ok({ chatId: result.value.chatId }) : result;
  }

  /**
   * A chat of this agent: the one its live task is assigned to them, or the one they were the agent of.
   * Anything else is "not found", so an agent cannot even learn that another's session exists.
   */
  private async ownChat(
    tenantId: string,
    userId: string,
    chatId: string,
  ): Promise<{ chat: Stored<Chat>; task: Stored<Task> | undefined; live: boolean } | undefined> {
    const chat = await this.chats.get(tenantId, chatId);
    if (!chat) return undefined;
    const task = chat.task ? await this.store.repos.tasks.find(tenantId, chat.task.id, chat.task.queue) : undefined;
    const assigned = task?.assignedUserId === userId;
    if (!assigned && chat.agent?.userId !== userId) return undefined;
    return {
      chat,
      task: assigned ? task : undefined,
      live: assigned && task?.state === 'connected' && chat.state === 'open',
    };
  }

  async session(tenantId: string, userId: string, chatId: string): Promise<SessionResult<SessionDetail>> {
    const own = await this.ownChat(tenantId, userId, chatId);
    if (!own) return refuse('session-not-found');
    const { chat, task, live } = own;
    const nameOf = await this.targetNames(tenantId);
    const taskId = chat.task?.id ?? null;
    const parameters = { ...chat.parameters, ...(taskId ? ((await this.parametersOf(tenantId, taskId)) ?? {}) : {}) };
    // An ended task leaves the live container: what the customer first wrote stays in its report.
    const report =
      !task && chat.task ? await this.store.repos.taskReports.find(tenantId, chat.task.id, chat.task.queue) : undefined;
    const { messages } = await taskContext(this.store, chat);
    return ok({
      chatId: chat.id,
      taskId,
      state: chat.state,
      live,
      customer: chat.customer,
      channel: chat.channel,
      target: nameOf(chat.target),
      firstMessage: task?.firstMessage ?? report?.firstMessage ?? null,
      parameters,
      createdAt: chat.createdAt,
      connectedAt: task?.connectedAt ?? null,
      endedAt: chat.endedAt,
      endedBy: chat.endedBy,
      lastSeq: chat.lastSeq,
      agentMessages: { onAccept: messages?.toAgent.onAccept ?? null, onEnd: messages?.toAgent.onEnd ?? null },
    });
  }

  async events(
    tenantId: string,
    userId: string,
    chatId: string,
    afterSeq: number,
  ): Promise<SessionResult<ChatEvent[]>> {
    if (!(await this.ownChat(tenantId, userId, chatId))) return refuse('session-not-found');
    return ok(await this.chats.eventsAfter(tenantId, chatId, afterSeq));
  }

  /** Whether the agent may follow this chat's live events (the stream checks once, at its start). */
  async canFollow(tenantId: string, userId: string, chatId: string): Promise<SessionResult<null>> {
    return (await this.ownChat(tenantId, userId, chatId)) ? ok(null) : refuse('session-not-found');
  }

  private async liveChat(
    tenantId: string,
    userId: string,
    chatId: string,
  ): Promise<SessionResult<{ chat: Stored<Chat>; task: Stored<Task> }>> {
    const own = await this.ownChat(tenantId, userId, chatId);
    if (!own) return refuse('session-not-found');
    if (!own.live || !own.task) return refuse('session-ended');
    return ok({ chat: own.chat, task: own.task });
  }

  async postMessage(tenantId: string, userId: string, chatId: string, text: string): Promise<SessionResult<ChatEvent>> {
    const live = await this.liveChat(tenantId, userId, chatId);
    if (!live.ok) return live;
    // The name the customer sees (per the direct system messages) is set on the chat when it connects.
    const authorName =
      live.value.chat.agent?.displayName ??
      (await this.store.repos.users.find(tenantId, userId))?.displayName ??
      'Agent';
    const posted = await this.chats.postMessage(tenantId, chatId, 'agent', authorName, text);
    return posted.ok
      ? ok(posted.value)
      : refuse(posted.refusal === 'chat-ended' ? 'session-ended' : 'session-not-found');
  }

  async typing(tenantId: string, userId: string, chatId: string, typing: boolean): Promise<SessionResult<null>> {
    const live = await this.liveChat(tenantId, userId, chatId);
    if (!live.ok) return live;
    this.chats.typing(tenantId, chatId, 'agent', typing);
    return ok(null);
  }

  /** The agent ends the conversation: the task ends as accepted, and the customer is told. */
  async end(tenantId: string, userId: string, chatId: string): Promise<SessionResult<null>> {
    const live = await this.liveChat(tenantId, userId, chatId);
    if (!live.ok) return live;
    const { task } = live.value;
    const result = await this.routing.tasks.end(
      { tenantId, queue: queueScope(task.target), taskId: task.id },
      'accepted',
    );
    return result.ok ? ok(null) : refuse('session-ended');
  }

  async history(tenantId: string, userId: string): Promise<HistoryItem[]> {
    const [sessions, wrapUps, nameOf] = await Promise.all([
      this.store.repos.userSessions.recent(tenantId, userId, HISTORY_SIZE),
      this.store.repos.sessionWrapUps.ofUser(tenantId, userId),
      this.targetNames(tenantId),
    ]);
    const byTask = new Map(wrapUps.map((w) => [w.taskId, w]));
    return sessions.map((s) =>
      this.historyItem(s, nameOf, s.outcome === 'accepted' ? byTask.get(s.taskId) : undefined),
    );
  }

  private historyItem(
    s: UserSessionReport,
    nameOf: (t: TaskTarget) => TargetView,
    wrapUp: SessionWrapUp | undefined,
  ): HistoryItem {
    return {
      sessionId: s.id,
      taskId: s.taskId,
      customer: s.customer,
      channel: s.channel,
      target: nameOf(s.target),
      outcome: s.outcome,
      taskOutcome: s.taskOutcome,
      offeredAt: s.offeredAt,
      respondedAt: s.respondedAt,
      endedAt: s.endedAt,
      wrapUp: wrapUp ? { code: wrapUp.code, tags: wrapUp.tags, note: wrapUp.note, updatedAt: wrapUp.updatedAt } : null,
    };
  }

  private async ownSession(
    tenantId: string,
    userId: string,
    sessionId: string,
  ): Promise<Stored<UserSessionReport> | undefined> {
    return this.store.repos.userSessions.find(tenantId, sessionId, userScope(userId));
  }

  /** One past session with its transcript (accepted sessions only: a missed offer has no conversation). */
  async historyDetail(tenantId: string, userId: string, sessionId: string): Promise<SessionResult<HistoryDetail>> {
    const session = await this.ownSession(tenantId, userId, sessionId);
    if (!session) return refuse('session-not-found');
    const [nameOf, wrapUp] = await Promise.all([
      this.targetNames(tenantId),
      this.store.repos.sessionWrapUps.find(tenantId, wrapUpId(session.taskId), userScope(userId)),
    ]);
    const item = this.historyItem(session, nameOf, session.outcome === 'accepted' ? wrapUp : undefined);
    if (session.outcome !== 'accepted') return ok({ ...item, chatId: null, firstMessage: null, events: [] });
    const report = await this.store.repos.taskReports.find(tenantId, session.taskId, queueScope(session.target));
    const task = report
      ? undefined
      : await this.store.repos.tasks.find(tenantId, session.taskId, queueScope(session.target));
    const chatId = report?.chatId ?? task?.chatId ?? null;
    const firstMessage = report?.firstMessage ?? task?.firstMessage ?? null;
    if (!chatId) return ok({ ...item, chatId: null, firstMessage, events: [] });
    // A transferred chat goes on with someone else: this agent sees it up to the end of their part. Any
    // other end is the end of the chat, with its closing messages (written just after the task ended).
    const until =
      session.taskOutcome === 'transferred' ? (session.endedAt ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
    const events = (await this.chats.eventsAfter(tenantId, chatId, 0)).filter((e) => e.at <= until);
    return ok({ ...item, chatId, firstMessage, events });
  }

  async saveWrapUp(
    tenantId: string,
    userId: string,
    sessionId: string,
    input: WrapUpInput,
  ): Promise<SessionResult<WrapUpView>> {
    const session = await this.ownSession(tenantId, userId, sessionId);
    if (!session) return refuse('session-not-found');
    if (session.outcome !== 'accepted') return refuse('not-accepted');
    const saved = await this.store.repos.sessionWrapUps.upsert({
      id: wrapUpId(session.taskId),
      tenantId,
      type: 'sessionWrapUp',
      userId,
      taskId: session.taskId,
      ...input,
      updatedAt: this.clock.now(),
    });
    return ok({ code: saved.code, tags: saved.tags, note: saved.note, updatedAt: saved.updatedAt });
  }

  /**
   * Calls `notify` when a customer writes in one of the agent's live chats (the tab marks it unread).
   * The chats are known from the agent's slots at the start and from routing's connects and ends after.
   */
  private watchCustomerMessages(tenantId: string, userId: string, notify: () => void): () => void {
    const mine = new Set<string>();
    /** Chats that ended while the slots were read: not to be added from a stale read. */
    let ended: Set<string> | undefined = new Set<string>();
    void this.store.repos.agents
      .find(tenantId, userId, AGENTS_SCOPE)
      .then(async (agent) => {
        for (const slot of agent?.slots ?? []) {
          if (slot.kind !== 'chat') continue;
          const task = await this.store.repos.tasks.find(tenantId, slot.taskId, slot.queue);
          if (task?.assignedUserId === userId && task.state === 'connected' && !ended?.has(task.chatId))
            mine.add(task.chatId);
        }
      })
      .catch(() => undefined)
      .finally(() => (ended = undefined));
    const stops = [
      this.routing.events.on('task.connected', (e) => {
        if (e.task.tenantId === tenantId && e.task.assignedUserId === userId) mine.add(e.task.chatId);
      }),
      this.routing.events.on('task.ended', (e) => {
        if (e.task.tenantId !== tenantId) return;
        mine.delete(e.task.chatId);
        ended?.add(e.task.chatId);
      }),
      this.chats.subscribeAll((e) => {
        if (e.type === 'event' && e.tenantId === tenantId && e.event.kind === 'message' && mine.has(e.chatId))
          if (e.event.from === 'customer') notify();
      }),
      // The same from other instances: their task changes and customer messages, through the change feed.
      this.store.changes.on<Task>('task', ({ doc, origin }) => {
        if (origin !== 'remote' || doc.tenantId !== tenantId) return;
        if (doc.state === 'connected' && doc.assignedUserId === userId) mine.add(doc.chatId);
        if (doc.state === 'ended') mine.delete(doc.chatId);
      }),
      this.store.changes.on<ChatEvent>('chatEvent', ({ doc, origin }) => {
        if (origin === 'remote' && doc.tenantId === tenantId && mine.has(doc.chatId))
          if (doc.kind === 'message' && doc.from === 'customer') notify();
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Calls `notify` whenever routing changes something this agent's My Sessions shows. */
  watch(tenantId: string, userId: string, notify: (notice: AgentNotice) => void): () => void {
    const concerns = (task: Task) =>
      task.tenantId === tenantId && (task.assignedUserId === userId || task.offers.some((o) => o.userId === userId));
    const on = <T extends RoutingEvent['type']>(
      type: T,
      test: (e: Extract<RoutingEvent, { type: T }>) => AgentNotice | undefined,
    ) =>
      this.routing.events.on(type, (e) => {
        const notice = test(e);
        if (notice) notify(notice);
      });
    const stops = [
      this.watchCustomerMessages(tenantId, userId, () => notify({ kind: 'messages' })),
      on('task.offered', (e) =>
        e.task.tenantId === tenantId && e.offer.userId === userId ? { kind: 'offers' } : undefined,
      ),
      on('offer.resolved', (e) =>
        e.task.tenantId === tenantId && e.offer.userId === userId ? { kind: 'offers' } : undefined,
      ),
      on('task.connected', (e) => (concerns(e.task) ? { kind: 'sessions' } : undefined)),
      on('task.ended', (e) => (concerns(e.task) ? { kind: 'sessions' } : undefined)),
      on('agent.changed', (e) =>
        e.agent.tenantId === tenantId && e.agent.id === userId ? { kind: 'availability' } : undefined,
      ),
      // Routing done by other instances, from the change feed: the tab refetches what changed.
      this.store.changes.on<Task>('task', ({ doc, origin }) => {
        if (origin !== 'remote' || !concerns(doc)) return;
        notify({ kind: doc.offers.some((o) => o.userId === userId && o.state === 'pending') ? 'offers' : 'sessions' });
      }),
      this.store.changes.on<AgentState>('agentState', ({ doc, origin }) => {
        if (origin === 'remote' && doc.tenantId === tenantId && doc.id === userId) notify({ kind: 'availability' });
      }),
      ...(['task.queued', 'task.connected', 'task.ended'] as const).map((type) =>
        this.routing.events.on(type, (e) => {
          if (e.task.queue?.type !== 'pickup' || e.task.tenantId !== tenantId) return;
          void this.pickup.concerns(tenantId, userId, e.task).then(
            (yes) => yes && notify({ kind: 'pickup' }),
            () => notify({ kind: 'pickup' }),
          );
        }),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }
}
