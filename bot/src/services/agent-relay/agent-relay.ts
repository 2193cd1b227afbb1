import type { Logger } from 'pino';
import type { IdSource } from '../ids';
import type { Presence, User } from '../../core/model';
import { type QuotedTarget, chooseSession, isForAgent } from '../../core/relay';
import { type EffectivePresence, effectivePresence } from '../../core/routing';
import type { Store, TeamsRepositories } from '../../store';
import type { ChatService } from '../chat/chat-service';
import { type Routing, type TaskRef, targetOfQueue } from '../routing';
import type { Clock } from '../routing/clock';
import { PickupQueues } from '../sessions/pickup-queues';
import { type DeliveryLaneOptions, type LaneWindows, defaultLaneOptions } from '../delivery';
import { type ConversationAddress, AgentDirectory, type AgentIdentity } from './agent-directory';
import { AgentOutbox, type Delivery } from './agent-outbox';
import { type ActiveSession, activeSessions, summaryOf } from './agent-sessions';
import { CustomerRelay, type RelayOwnership } from './customer-relay';
import { type CardAnswer, SessionCards } from './session-cards';
import type {
  AgentConversation,
  AgentTransport,
  AgentView,
  FailureSummary,
  PickupNotice,
  SessionSummary,
} from './views';

/** The agent as the channel identified them: a licensed user of a tenant. */
export type Agent = Pick<User, 'tenantId' | 'id' | 'displayName'>;

/** Where an agent's message in Teams went. */
export type AgentMessageOutcome =
  | { kind: 'sent'; session: SessionSummary }
  | { kind: 'no-session' }
  | { kind: 'ambiguous'; sessions: SessionSummary[] }
  /** The quoted message belongs to a chat that is over (or the chat ended while the message was on its way). */
  | { kind: 'session-ended'; customerName: string | null };

export type EndOutcome =
  | { kind: 'ended'; session: SessionSummary }
  | { kind: 'no-session' }
  | { kind: 'ambiguous'; sessions: SessionSummary[] }
  | { kind: 'session-ended'; customerName: string | null };

export type AgentRelayDeps = {
  store: Store;
  routing: Routing;
  chats: ChatService;
  transport: AgentTransport;
  clock: Clock;
  log: Logger;
  /** Per-conversation limits of the platform, or this instance's share of them (see InstanceRegistry). */
  windows: LaneWindows;
  /** The delivery lane's retry policy and timing (tests pass their own sleep and randomness). */
  queue?: Partial<Omit<DeliveryLaneOptions, 'describe' | 'windows' | 'clock'>>;
  ids?: IdSource;
  /** The instances on this Cosmos (one relays each chat); absent for a single instance. */
  ownership?: RelayOwnership;
};

/**
 * The agent side of the contact center, free of any chat SDK: offers and session cards, the relay in
 * both directions, the agent's choices (accept, decline, end, focus, status), and delivery through one
 * ordered, rate-limited lane per agent conversation. The Teams channel parses activities, calls these
 * operations and draws their results.
 */
/** How long an agent seen reachable here is not checked again on their next activity. */
const REACHABLE_MEMO_MS = 60_000;

export class AgentRelay {
  /** Agents this process saw reachable, until when: their next activities need no agent-state read. */
  private readonly reachableSeen = new Map<string, number>();
  private readonly directory: AgentDirectory;
  private readonly outbox: AgentOutbox;
  private readonly cards: SessionCards;
  private readonly relay: CustomerRelay;
  private readonly pickup: PickupQueues;
  private readonly stops: (() => void)[] = [];
  private readonly repos: TeamsRepositories;

  constructor(private readonly deps: AgentRelayDeps) {
    const { store, routing, chats, transport, clock, log } = deps;
    this.repos = store.repos.teams;
    this.directory = new AgentDirectory(store, this.repos, clock);
    this.outbox = new AgentOutbox(
      transport,
      this.repos,
      clock,
      log,
      {
        ...defaultLaneOptions(clock, deps.windows),
        ...deps.queue,
      },
      deps.ids,
    );
    const shared = { store, repos: this.repos, routing, chats, directory: this.directory, outbox: this.outbox, clock };
    this.cards = new SessionCards(shared);
    this.relay = new CustomerRelay({ ...shared, cards: this.cards, log, ownership: deps.ownership });
    this.pickup = new PickupQueues(store, routing.tasks, clock);
  }

  /** Follows routing and the chats: offers, their resolution, connects, ends and customer messages. */
  start(): void {
    const { routing, chats, log } = this.deps;
    const guard = (what: string, work: Promise<void> | undefined) =>
      void work?.catch((err: unknown) => log.error({ err }, `agent relay: ${what} failed`));
    this.stops.push(
      routing.events.on('task.offered', (e) => guard('offer card', this.cards.offered(e.task, e.offer))),
      // Synchronous on purpose: a card answered by its own button must be recognised before any await.
      routing.events.on('offer.resolved', (e) => guard('card update', this.cards.resolved(e.task, e.offer))),
      routing.events.on('task.connected', (e) => guard('connect', this.relay.catchUp(e.task.tenantId, e.task.chatId))),
      routing.events.on('task.ended', (e) => guard('session end', this.cards.ended(e.task, e.report))),
      // The supervisor's card first, then the conversation so far relayed to them.
      routing.events.on('task.taken-over', (e) =>
        guard(
          'take-over',
          this.cards.takenOver(e.task, e.fromUserId).then(() => this.relay.catchUp(e.task.tenantId, e.task.chatId)),
        ),
      ),
      chats.subscribeAll((e) => {
        if (e.type === 'event' && isForAgent(e.event))
          guard('relay', this.relay.chatEvent(e.tenantId, e.chatId, e.chat && { chat: e.chat, event: e.event }));
      }),
      // What other instances stored: this one relays the chats it owns (or takes over).
      chats.subscribeRemote((event) => {
        if (isForAgent(event)) guard('relay', this.relay.chatEvent(event.tenantId, event.chatId));
      }),
    );
  }

  /** Stops following events; messages still queued end as failed-at-shutdown (logged). */
  stop(): void {
    this.stops.splice(0).forEach((stop) => stop());
    this.relay.stop();
    this.outbox.close();
  }

  /** Waits until every queued message to agents has been sent or given up (tests, shutdown). */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  /** Who wrote; a person of a set-up organization without a user record becomes a user (no licenses). */
  identify(tenantId: string, aadObjectId: string, name: string | null = null): Promise<AgentIdentity> {
    return this.directory.identify(tenantId, aadObjectId, name);
  }

  /** The app was installed, or the agent wrote for the first time: remember how to reach them. */
  async remember(user: Pick<User, 'tenantId' | 'id'>, address: ConversationAddress): Promise<{ created: boolean }> {
    const remembered = await this.directory.remember(user, address);
    // The bot can message them now: they may be offered chats (a point read when nothing changed, and
    // none at all for an agent this process saw reachable a moment ago).
    const key = `${user.tenantId}|${user.id}`;
    const now = this.deps.clock.now();
    if (remembered.created || (this.reachableSeen.get(key) ?? 0) <= now) {
      await this.deps.routing.agents.setReachable(user.tenantId, user.id, true);
      if (this.reachableSeen.size >= 10_000) this.reachableSeen.clear();
      this.reachableSeen.set(key, now + REACHABLE_MEMO_MS);
    }
    return remembered;
  }

  /** The app was uninstalled: no conversation to reach the agent, so no offers either. */
  async forget(tenantId: string, userId: string): Promise<boolean> {
    this.reachableSeen.delete(`${tenantId}|${userId}`);
    await this.deps.routing.agents.setReachable(tenantId, userId, false);
    return this.directory.forget(tenantId, userId);
  }

  /** Says something to an agent (an answer to a command, an explanation), behind whatever is queued. */
  say(to: AgentConversation, view: AgentView, options: { record?: boolean } = {}): Promise<Delivery> {
    return this.outbox.send(to, view, { what: 'reply', record: options.record });
  }

  sessions(agent: Agent): Promise<ActiveSession[]> {
    return activeSessions(this.deps.store, this.deps.routing, this.deps.chats, agent.tenantId, agent.id);
  }

  /** The agent's sessions and the messages to them that recently could not be delivered. */
  async overview(agent: Agent): Promise<{ sessions: SessionSummary[]; failures: FailureSummary[] }> {
    const since = this.deps.clock.now() - 24 * 3600_000;
    const [sessions, failures] = await Promise.all([
      this.sessions(agent),
      this.repos.deliveryFailures.recent(agent.tenantId, agent.id, since, 5),
    ]);
    return {
      sessions: sessions.map(summaryOf),
      failures: failures.map((f) => ({ at: f.at, what: f.what, preview: f.preview, chatId: f.chatId })),
    };
  }

  /** The agent's presence as routing sees it; never set counts as offline. */
  async presenceOf(agent: Agent): Promise<Presence> {
    return (await this.deps.routing.agents.find(agent.tenantId, agent.id))?.presence ?? 'offline';
  }

  /** Sets the manual status; returns the effective presence (Teams may restrict it further) and why. */
  async setPresence(agent: Agent, presence: Presence): Promise<EffectivePresence> {
    return effectivePresence(await this.deps.routing.setPresence(agent.tenantId, agent.id, presence));
  }

  /** Clears RONA; returns whether the agent was in RONA. */
  async resetRona(agent: Agent): Promise<boolean> {
    const before = await this.deps.routing.agents.find(agent.tenantId, agent.id);
    await this.deps.routing.agents.resetRona(agent.tenantId, agent.id);
    return before?.rona !== null && before?.rona !== undefined;
  }

  /** The Pickup queues of the agent's services, with what came of a claim just made. */
  async pickupView(agent: Agent, notice: PickupNotice | null = null): Promise<Extract<AgentView, { kind: 'pickup' }>> {
    const waiting = await this.pickup.waiting(agent.tenantId, agent.id);
    return {
      kind: 'pickup',
      notice,
      tasks: waiting.map((t) => ({
        ref: t.ref,
        customer: t.customer,
        channel: t.channel,
        serviceName: t.serviceName,
        firstMessage: t.firstMessage,
        waitedMs: t.waitedMs,
      })),
    };
  }

  /**
   * Claims a Pickup task from the list: the first claim wins, and the chat connects as an accepted
   * offer does (its session card follows). Answers with the list as it stands after the claim.
   */
  async claimPickup(agent: Agent, ref: TaskRef): Promise<Extract<AgentView, { kind: 'pickup' }>> {
    const target = targetOfQueue(ref.queue);
    if (target?.kind !== 'service') return this.pickupView(agent, { code: 'gone' });
    const result = await this.pickup.claim(agent.tenantId, agent.id, target.serviceId, ref.taskId);
    const notice: PickupNotice = result.ok
      ? { code: 'claimed', customerName: result.value.customer.displayName }
      : result.refusal === 'pickup-taken'
        ? { code: 'taken' }
        : result.refusal === 'not-selectable'
          ? { code: 'not-selectable' }
          : { code: 'gone' };
    return this.pickupView(agent, notice);
  }

  async acceptOffer(agent: Agent, ref: TaskRef, offerId: string): Promise<CardAnswer & { accepted: boolean }> {
    return this.cards.actOn(`offer:${offerId}`, async () => {
      const result = await this.deps.routing.tasks.accept(ref, offerId, agent.id);
      const answer = await this.cards.currentView(agent.tenantId, agent.id, ref, offerId);
      if (answer.view) await this.cards.setState(agent.tenantId, agent.id, ref.taskId, answer.view.state);
      return { ...answer, accepted: result.ok };
    });
  }

  async declineOffer(agent: Agent, ref: TaskRef, offerId: string): Promise<CardAnswer> {
    return this.cards.actOn(`offer:${offerId}`, async () => {
      await this.deps.routing.tasks.decline(ref, offerId, agent.id);
      const answer = await this.cards.currentView(agent.tenantId, agent.id, ref, offerId);
      if (answer.view) await this.cards.setState(agent.tenantId, agent.id, ref.taskId, answer.view.state);
      return answer;
    });
  }

  /** Ends one of the agent's sessions from its card; the card answers with its ended state. */
  async endFromCard(agent: Agent, ref: TaskRef): Promise<CardAnswer> {
    const card = await this.cards.find(agent.tenantId, agent.id, ref.taskId);
    return this.cards.actOn(`end:${ref.taskId}`, async () => {
      await this.endIfMine(agent, ref);
      const answer = await this.cards.currentView(agent.tenantId, agent.id, ref, card?.offerId ?? null);
      if (answer.view) await this.cards.setState(agent.tenantId, agent.id, ref.taskId, answer.view.state);
      return answer;
    });
  }

  /** Ends a session the agent chose elsewhere than on its card; the customer's name when it ended. */
  async endSession(agent: Agent, ref: TaskRef): Promise<string | null> {
    const task = await this.deps.routing.tasks.get(ref);
    if (task?.state !== 'connected' || task.assignedUserId !== agent.id) return null;
    await this.endIfMine(agent, ref);
    return task.customer.displayName;
  }

  sessionCardOf(agent: Agent, taskId: string) {
    return this.cards.find(agent.tenantId, agent.id, taskId);
  }

  /** The end command: the same choice of session as for a message (quote, only session, focus). */
  async endByCommand(agent: Agent, quotedActivityIds: readonly string[]): Promise<EndOutcome> {
    const choice = await this.choose(agent, quotedActivityIds);
    if (choice.kind !== 'session') return choice;
    await this.endIfMine(agent, choice.session.ref);
    return { kind: 'ended', session: summaryOf(choice.session) };
  }

  /** The focus action on a session card: plain messages go to this session from now on. */
  async focus(agent: Agent, chatId: string): Promise<SessionSummary | undefined> {
    const session = (await this.sessions(agent)).find((s) => s.chatId === chatId);
    if (!session) return undefined;
    await this.directory.setFocus(agent.tenantId, agent.id, chatId);
    return summaryOf(session);
  }

  /** An agent's message: to the session it belongs to, or a question back when that is not clear. */
  async fromAgent(agent: Agent, text: string, quotedActivityIds: readonly string[]): Promise<AgentMessageOutcome> {
    const choice = await this.choose(agent, quotedActivityIds);
    if (choice.kind !== 'session') return choice;
    return this.postTo(agent, choice.session, text);
  }

  /** The answer to the question: send the pending message to the chat the agent picked. */
  async sendTo(agent: Agent, chatId: string, text: string): Promise<AgentMessageOutcome> {
    const session = (await this.sessions(agent)).find((s) => s.chatId === chatId);
    if (!session) return { kind: 'session-ended', customerName: null };
    return this.postTo(agent, session, text);
  }

  private async postTo(agent: Agent, session: ActiveSession, text: string): Promise<AgentMessageOutcome> {
    const result = await this.relay.postFromAgent(session.task, agent.displayName, text, session.chat);
    return result.ok
      ? { kind: 'sent', session: summaryOf(session) }
      : { kind: 'session-ended', customerName: session.customer.displayName };
  }

  private async choose(
    agent: Agent,
    quotedActivityIds: readonly string[],
  ): Promise<
    | { kind: 'session'; session: ActiveSession }
    | { kind: 'no-session' }
    | { kind: 'ambiguous'; sessions: SessionSummary[] }
    | { kind: 'session-ended'; customerName: string | null }
  > {
    const [sessions, conversation, quoted] = await Promise.all([
      this.sessions(agent),
      this.directory.conversation(agent.tenantId, agent.id),
      this.quotedTarget(agent, quotedActivityIds),
    ]);
    const choice = chooseSession({ active: sessions, quoted, focusChatId: conversation?.focusChatId ?? null });
    switch (choice.kind) {
      case 'session':
        return { kind: 'session', session: sessions.find((s) => s.chatId === choice.chatId)! };
      case 'no-session':
        return choice;
      case 'ambiguous':
        return { kind: 'ambiguous', sessions: sessions.map(summaryOf) };
      case 'quoted-session-ended': {
        const chat = await this.deps.chats.get(agent.tenantId, choice.chatId);
        return { kind: 'session-ended', customerName: chat?.customer.displayName ?? null };
      }
    }
  }

  private async quotedTarget(agent: Agent, quotedActivityIds: readonly string[]): Promise<QuotedTarget> {
    if (quotedActivityIds.length === 0) return { kind: 'none' };
    for (const id of quotedActivityIds) {
      const chatId = await this.cards.chatOfMessage(agent.tenantId, agent.id, id);
      if (chatId) return { kind: 'session', chatId };
    }
    return { kind: 'unknown' };
  }

  private async endIfMine(agent: Agent, ref: TaskRef): Promise<void> {
    const task = await this.deps.routing.tasks.get(ref);
    // Only the agent holding the session ends it from Teams; anything else leaves the task alone.
    if (task?.state !== 'connected' || task.assignedUserId !== agent.id) return;
    await this.deps.routing.tasks.end(ref, 'accepted');
  }
}
