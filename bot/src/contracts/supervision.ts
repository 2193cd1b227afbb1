import { z } from 'zod/v4';
import { Customer, ImChannel, Presence, Priority, SupervisionEntry } from '../core/model';
import { Kpis } from './reports';
import { ChatEventView } from './chat-events';

const Count = z.number().int().min(0);

/** A live task as the dashboard lists it: waiting (in queue order), ringing or connected. */
export const LiveTaskView = z.object({
  taskId: z.string(),
  chatId: z.string(),
  customerName: z.string(),
  channel: ImChannel,
  state: z.enum(['in-workflow', 'queued', 'connected']),
  priority: Priority.nullable(),
  /** When the task entered the queue (queued) or connected (connected); the tab counts up from it. */
  since: z.number().int(),
  createdAt: z.number().int(),
  /** Agents it rings for now. */
  ringing: z.array(z.object({ userId: z.string(), displayName: z.string() })),
  agent: z.object({ userId: z.string(), displayName: z.string() }).nullable(),
  supervised: z.boolean(),
});
export type LiveTaskView = z.infer<typeof LiveTaskView>;

export const AgentLiveView = z.object({
  userId: z.string(),
  displayName: z.string(),
  presence: Presence,
  state: z.enum([
    'available',
    'ringing',
    'full',
    'rona',
    'not-available',
    'app-not-installed',
    'offline',
    'unavailable',
  ]),
  chats: Count,
  chatLimit: Count,
  ringing: Count,
  ronaUntil: z.number().int().nullable(),
  notAvailableReason: z.string().nullable(),
  /** Why routing would not offer them a task now, in its words; null when it would. */
  reason: z.string().nullable(),
});
export type AgentLiveView = z.infer<typeof AgentLiveView>;

/** Today's counters of a service (the tenant's day), from the day document kept as tasks end. */
export const TodayCounters = z.object({
  day: z.string(),
  kpis: Kpis,
  offered: Count,
  accepted: Count,
  declined: Count,
  rona: Count,
});
export type TodayCounters = z.infer<typeof TodayCounters>;

export const ServiceLiveView = z.object({
  serviceId: z.string(),
  name: z.string(),
  waiting: Count,
  longestWaitSince: z.number().int().nullable(),
  /** Queued tasks in the order routing offers them (priority, then time waited). */
  queue: z.array(LiveTaskView),
  offered: Count,
  /** Tasks still in their workflow (not queued yet). */
  inWorkflow: Count,
  connected: z.array(LiveTaskView),
  agents: z.array(AgentLiveView),
  today: TodayCounters,
});
export type ServiceLiveView = z.infer<typeof ServiceLiveView>;

/** `GET /supervision/dashboard`: the live picture of every service the caller supervises. */
export const Dashboard = z.object({
  at: z.number().int(),
  timeZone: z.string(),
  services: z.array(ServiceLiveView),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** `event: changed` on the dashboard stream: something it shows changed; the tab refetches. */
export const DashboardChanged = z.object({ kind: z.enum(['tasks', 'agents', 'counters', 'heartbeat']) });
export type DashboardChanged = z.infer<typeof DashboardChanged>;

/** `GET /supervision/chats/:chatId`: a live chat as its supervisor reads it. */
export const SupervisedChat = z.object({
  chatId: z.string(),
  taskId: z.string(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  state: z.enum(['open', 'ended']),
  taskState: z.enum(['created', 'in-workflow', 'queued', 'connected', 'ended']),
  customer: Customer,
  channel: ImChannel,
  agent: z.object({ userId: z.string(), displayName: z.string() }).nullable(),
  /** True when the supervisor has the chat now (after a take-over): My Sessions is where they answer. */
  mine: z.boolean(),
  supervision: z.array(SupervisionEntry),
  events: z.array(ChatEventView),
  lastSeq: z.number().int(),
});
export type SupervisedChat = z.infer<typeof SupervisedChat>;
