import type { AgentState, Presence, Slot } from '../model';
import { ronaActive } from './selectability';

/** Pure changes to an agent's routing state; the caller writes them conditionally on the etag. */
export function newAgentState(tenantId: string, userId: string, now: number): AgentState {
  return {
    id: userId,
    tenantId,
    type: 'agentState',
    presence: 'offline',
    presenceChangedAt: now,
    teams: null,
    rona: null,
    notAvailableReason: null,
    slots: [],
    lastActivityAt: now,
    reachable: false,
    appInstall: null,
  };
}

/** Going Offline (off duty) also clears RONA. */
export function setPresence(agent: AgentState, presence: Presence, now: number): AgentState {
  if (agent.presence === presence && agent.presenceChosen) return agent;
  return {
    ...agent,
    presence,
    presenceChosen: true,
    presenceChangedAt: now,
    rona: presence === 'offline' ? null : agent.rona,
  };
}

export function applyRona(
  agent: AgentState,
  reason: 'declined' | 'no-answer',
  taskId: string,
  now: number,
  resetSeconds: number,
): AgentState {
  return { ...agent, rona: { until: now + resetSeconds * 1000, reason, taskId } };
}

export function clearRona(agent: AgentState): AgentState {
  return agent.rona === null ? agent : { ...agent, rona: null };
}

/** Clears RONA whose time is up (the timer's job; selectability ignores an expired RONA anyway). */
export function clearExpiredRona(agent: AgentState, now: number): AgentState {
  return agent.rona !== null && !ronaActive(agent, now) ? clearRona(agent) : agent;
}

export function holdsSlot(agent: AgentState, taskId: string): boolean {
  return agent.slots.some((s) => s.taskId === taskId);
}

export function addSlot(agent: AgentState, slot: Slot, now: number): AgentState {
  if (holdsSlot(agent, slot.taskId)) return agent;
  return {
    ...agent,
    slots: [...agent.slots, slot],
    lastActivityAt: slot.kind === 'offer' ? now : agent.lastActivityAt,
  };
}

/** An accepted offer turns its slot into a chat (adding it if a crash lost the offer slot). */
export function slotToChat(agent: AgentState, taskId: string, queue: string, now: number): AgentState {
  if (!holdsSlot(agent, taskId))
    return { ...agent, slots: [...agent.slots, { taskId, queue, kind: 'chat', since: now }] };
  return {
    ...agent,
    slots: agent.slots.map((s) => (s.taskId === taskId ? { ...s, kind: 'chat' as const, since: now } : s)),
  };
}

/** Releases the task's slot; finishing a chat counts as activity for "longest idle". */
export function releaseSlot(agent: AgentState, taskId: string, now: number): AgentState {
  const slot = agent.slots.find((s) => s.taskId === taskId);
  if (!slot) return agent;
  return {
    ...agent,
    slots: agent.slots.filter((s) => s.taskId !== taskId),
    lastActivityAt: slot.kind === 'chat' ? now : agent.lastActivityAt,
  };
}
