import type { Logger } from 'pino';
import {
  addSlot,
  applyRona,
  clearExpiredRona,
  clearRona,
  effectivePresence,
  newAgentState,
  releaseSlot,
  selectability,
  setPresence,
  slotToChat,
} from '../../core/routing';
import type { AgentState, AppInstall, Presence, Service, TeamsPresence, Tenant, User } from '../../core/model';
import { AGENTS_SCOPE, AlreadyExistsError, type Store, type Stored, timerIds } from '../../store';
import type { Clock } from './clock';
import type { EventBus } from './events';

/** Routing state of agents: presence, RONA and the slots that hold their capacity. */
export class AgentService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  /** The agent may have become selectable (freed capacity, presence, RONA cleared). */
  private freed(tenantId: string, userId: string): void {
    this.events.emit({ type: 'agent.freed', tenantId, userId });
  }

  async find(tenantId: string, userId: string): Promise<Stored<AgentState> | undefined> {
    return this.store.repos.agents.find(tenantId, userId, AGENTS_SCOPE);
  }

  async getOrCreate(tenantId: string, userId: string): Promise<Stored<AgentState>> {
    const existing = await this.find(tenantId, userId);
    if (existing) return existing;
    try {
      return await this.store.repos.agents.create(newAgentState(tenantId, userId, this.clock.now()));
    } catch (err) {
      if (err instanceof AlreadyExistsError) return this.store.repos.agents.get(tenantId, userId, AGENTS_SCOPE);
      throw err;
    }
  }

  private async change(
    tenantId: string,
    userId: string,
    mutate: (a: Stored<AgentState>) => AgentState | undefined,
  ): Promise<Stored<AgentState>> {
    const current = await this.getOrCreate(tenantId, userId);
    const updated = await this.store.repos.agents.update(tenantId, userId, mutate, {
      scope: AGENTS_SCOPE,
      maxAttempts: 20,
      current,
    });
    this.events.emit({ type: 'agent.changed', agent: updated });
    return updated;
  }

  async setPresence(tenantId: string, userId: string, presence: Presence): Promise<Stored<AgentState>> {
    const before = await this.getOrCreate(tenantId, userId);
    const after = await this.change(tenantId, userId, (a) => {
      const next = setPresence(a, presence, this.clock.now());
      return next === a ? undefined : next;
    });
    if (before.rona !== null && after.rona === null) await this.store.timers.cancel(timerIds.rona(tenantId, userId));
    if (presence !== 'offline' && presence !== 'do-not-disturb') this.freed(tenantId, userId);
    return after;
  }

  /**
   * Whether the bot can message the agent (their conversation reference was stored or removed). Writes
   * only on a change, so calling it on every activity costs a point read.
   */
  async setReachable(tenantId: string, userId: string, reachable: boolean): Promise<void> {
    const before = await this.find(tenantId, userId);
    if (before?.reachable === reachable) return;
    if (!before && !reachable) return;
    await this.change(tenantId, userId, (a) => (a.reachable === reachable ? undefined : { ...a, reachable }));
    if (reachable) this.freed(tenantId, userId);
  }

  /**
   * Stores the agent's Teams presence (Microsoft Graph); the manual status stays as the agent set it and
   * routing reads the effective presence of both. An unchanged presence writes nothing. Distribution
   * looks again when the agent may have become selectable.
   */
  async applyTeamsPresence(
    tenantId: string,
    userId: string,
    presence: Pick<TeamsPresence, 'availability' | 'activity'>,
  ): Promise<{ before: Stored<AgentState>; after: Stored<AgentState> }> {
    const before = await this.getOrCreate(tenantId, userId);
    const same = (a: AgentState) =>
      a.teams?.availability === presence.availability && a.teams.activity === presence.activity;
    if (same(before)) return { before, after: before };
    const after = await this.change(tenantId, userId, (a) =>
      same(a) ? undefined : { ...a, teams: { ...presence, at: this.clock.now() } },
    );
    const effective = effectivePresence(after);
    if (!effective.blockedBy && effective.presence !== 'offline' && effective.presence !== 'do-not-disturb')
      this.freed(tenantId, userId);
    return { before, after };
  }

  /** Records how installing the Teams app for the agent went (admins read it on the users page). */
  async recordAppInstall(tenantId: string, userId: string, appInstall: AppInstall): Promise<void> {
    await this.change(tenantId, userId, (a) => ({ ...a, appInstall }));
  }

  /** The agent clears their own RONA (bot command or tab). */
  async resetRona(tenantId: string, userId: string): Promise<Stored<AgentState>> {
    const after = await this.change(tenantId, userId, (a) => (a.rona === null ? undefined : clearRona(a)));
    await this.store.timers.cancel(timerIds.rona(tenantId, userId));
    this.freed(tenantId, userId);
    return after;
  }

  /** The RONA timer fired: clear RONA if its time is up. */
  async expireRona(tenantId: string, userId: string): Promise<void> {
    const agent = await this.find(tenantId, userId);
    if (!agent || agent.rona === null) return;
    await this.change(tenantId, userId, (a) => {
      const next = clearExpiredRona(a, this.clock.now());
      return next === a ? undefined : next;
    });
    this.freed(tenantId, userId);
  }

  async setNotAvailable(tenantId: string, userId: string, reason: string | null): Promise<Stored<AgentState>> {
    const after = await this.change(tenantId, userId, (a) =>
      a.notAvailableReason === reason ? undefined : { ...a, notAvailableReason: reason },
    );
    if (reason === null) this.freed(tenantId, userId);
    return after;
  }

  /** Puts the agent in RONA after a declined or unanswered offer, with a timer to clear it. */
  async rona(
    tenantId: string,
    userId: string,
    reason: 'declined' | 'no-answer',
    taskId: string,
    resetSeconds: number,
  ): Promise<void> {
    const now = this.clock.now();
    const until = now + resetSeconds * 1000;
    await this.store.timers.schedule({
      id: timerIds.rona(tenantId, userId),
      tenantId,
      dueAt: until,
      payload: { kind: 'rona-reset', userId },
    });
    await this.change(tenantId, userId, (a) => applyRona(a, reason, taskId, now, resetSeconds));
  }

  /**
   * Reserves capacity for an offer (or, for Pickup, a chat): re-checks selectability against the
   * agent's current document and adds the slot in the same conditional write. Returns false when the
   * agent is no longer selectable.
   */
  async reserve(
    ctx: { tenant: Tenant; user: User; service: Service | null },
    slot: { taskId: string; queue: string; kind: 'offer' | 'chat' },
  ): Promise<boolean> {
    const { tenant, user, service } = ctx;
    let reserved = false;
    const current = await this.getOrCreate(tenant.id, user.id);
    await this.store.repos.agents.update(
      tenant.id,
      user.id,
      (agent) => {
        reserved = false;
        const now = this.clock.now();
        if (agent.slots.some((s) => s.taskId === slot.taskId)) return undefined;
        if (!selectability({ tenant, user, agent, service, now }).selectable) return undefined;
        reserved = true;
        return addSlot(agent, { ...slot, since: now }, now);
      },
      { scope: AGENTS_SCOPE, maxAttempts: 20, current },
    );
    return reserved;
  }

  async toChat(tenantId: string, userId: string, taskId: string, queue: string): Promise<void> {
    await this.change(tenantId, userId, (a) => slotToChat(a, taskId, queue, this.clock.now()));
  }

  /** Frees the agent's slot for a task (idempotent) and lets distribution know. */
  async release(tenantId: string, userId: string, taskId: string): Promise<void> {
    const agent = await this.find(tenantId, userId);
    if (!agent?.slots.some((s) => s.taskId === taskId)) return;
    await this.change(tenantId, userId, (a) =>
      a.slots.some((s) => s.taskId === taskId) ? releaseSlot(a, taskId, this.clock.now()) : undefined,
    );
    this.freed(tenantId, userId);
  }

  /**
   * Frees slots whose task no longer holds this agent: left behind when a process died between
   * reserving capacity and writing the offer. Only slots older than `minAgeMs` are checked.
   */
  async repairStaleSlots(
    agent: AgentState,
    holds: (slot: AgentState['slots'][number]) => Promise<boolean>,
    minAgeMs: number,
  ): Promise<number> {
    const now = this.clock.now();
    let repaired = 0;
    for (const slot of agent.slots.filter((s) => now - s.since >= minAgeMs)) {
      if (await holds(slot)) continue;
      this.log.warn(
        { tenantId: agent.tenantId, userId: agent.id, taskId: slot.taskId },
        'releasing a slot its task no longer holds',
      );
      await this.release(agent.tenantId, agent.id, slot.taskId);
      repaired++;
    }
    return repaired;
  }
}
