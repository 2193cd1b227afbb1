import type { Chat, Service, Task } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import type { Viewer } from '../../core/supervision';
import type { Dashboard } from '../../contracts';
import { LiveDashboard } from './live-dashboard';
import type { Store, Stored } from '../../store';
import type { ChatService } from '../chat/chat-service';
import type { Routing, TaskRef } from '../routing';
import type { Clock } from '../routing/clock';

export type SupervisionRefusal =
  | { code: 'forbidden'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'not-live'; message: string }
  | { code: 'conflict'; message: string };

export type SupervisionResult<T> = Result<T, SupervisionRefusal>;

/** A live chat a supervisor may step into, with its task. */
export type SupervisedLive = { chat: Stored<Chat>; task: Stored<Task>; ref: TaskRef; service: Service | null };

const forbidden = (): SupervisionRefusal => ({
  code: 'forbidden',
  message: 'You do not supervise the service of this chat.',
});
const notFound = (): SupervisionRefusal => ({ code: 'not-found', message: 'There is no such chat.' });

/**
 * Supervisors see and steer: the live dashboard of the services they supervise (built from the live
 * tasks, the agents' routing state and today's day document, never from the reports), and the live
 * chats of those services, which they read, whisper in, barge into or take over. Every action is
 * recorded in the task (its trace), and so in its report.
 */
export class SupervisionService {
  private readonly board: LiveDashboard;

  constructor(private readonly deps: { store: Store; routing: Routing; chats: ChatService; clock: Clock }) {
    this.board = new LiveDashboard(deps.store, deps.clock);
  }

  /** The services the viewer supervises (all for an admin), by name. */
  scope(viewer: Viewer): Promise<Service[]> {
    return this.board.scope(viewer);
  }

  /**
   * Calls `listener` when something a dashboard of the tenant shows may have changed: routing events
   * of this process, and tasks, agent states and day documents other instances wrote (the change feed).
   * Returns the function that stops listening.
   */
  watch(tenantId: string, listener: (kind: 'tasks' | 'agents' | 'counters') => void): () => void {
    const { routing, store } = this.deps;
    const task = (t: Pick<Task, 'tenantId'>) => {
      if (t.tenantId === tenantId) listener('tasks');
    };
    const stops = [
      routing.events.on('task.queued', (e) => task(e.task)),
      routing.events.on('task.offered', (e) => task(e.task)),
      routing.events.on('offer.resolved', (e) => task(e.task)),
      routing.events.on('task.connected', (e) => task(e.task)),
      routing.events.on('task.taken-over', (e) => task(e.task)),
      routing.events.on('task.transferred', (e) => task(e.from)),
      routing.events.on('task.ended', (e) => {
        if (e.task.tenantId === tenantId) listener('counters');
      }),
      routing.events.on('agent.changed', (e) => {
        if (e.agent.tenantId === tenantId) listener('agents');
      }),
      ...(['task', 'agentState', 'reportAggregate'] as const).map((type) =>
        store.changes.on(type, (c) => {
          if (c.origin !== 'remote' || c.doc.tenantId !== tenantId) return;
          listener(type === 'task' ? 'tasks' : type === 'agentState' ? 'agents' : 'counters');
        }),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Whether the viewer supervises anything (the tab shows the Live page then). */
  async supervisesAny(viewer: Viewer): Promise<boolean> {
    return viewer.isAdmin || (await this.scope(viewer)).length > 0;
  }

  /** The live picture of the services the viewer supervises (see LiveDashboard). */
  dashboard(viewer: Viewer): Promise<Dashboard> {
    return this.board.dashboard(viewer);
  }

  /**
   * A live chat of a service the viewer supervises (direct contacts: admins only). An ended chat, or
   * one whose task is over, is "not-live".
   */
  async live(viewer: Viewer, chatId: string): Promise<SupervisionResult<SupervisedLive>> {
    const chat = await this.deps.chats.get(viewer.tenantId, chatId);
    if (!chat) return refuse(notFound());
    const service =
      chat.target.kind === 'service'
        ? ((await this.deps.store.repos.services.find(viewer.tenantId, chat.target.serviceId)) ?? null)
        : null;
    if (!viewer.isAdmin) {
      if (!service) return refuse(forbidden());
      const allowed = await this.scope(viewer);
      if (!allowed.some((s) => s.id === service.id)) return refuse(forbidden());
    }
    if (chat.state !== 'open' || !chat.task)
      return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    const ref: TaskRef = { tenantId: viewer.tenantId, queue: chat.task.queue, taskId: chat.task.id };
    const task = await this.deps.routing.tasks.get(ref);
    if (!task || task.state === 'ended')
      return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    return ok({ chat, task, ref, service });
  }

  /** Opens a chat to read: recorded once per supervisor and task (reading again writes nothing). */
  async monitor(viewer: Viewer, chatId: string): Promise<SupervisionResult<SupervisedLive>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const { task, ref } = found.value;
    if (task.supervision?.some((e) => e.kind === 'monitor' && e.userId === viewer.userId)) return found;
    const recorded = await this.deps.routing.tasks.recordSupervision(ref, 'monitor', viewer.userId);
    return recorded.ok ? ok({ ...found.value, task: recorded.value }) : found;
  }

  /** A note to the chat's agent that the customer never sees (Teams and the tab show it to the agent). */
  async whisper(viewer: Viewer, chatId: string, text: string): Promise<SupervisionResult<number>> {
    return this.write(viewer, chatId, 'whisper', text);
  }

  /** Writes to the customer as the supervisor; their first barge-in is announced in the chat. */
  async bargeIn(viewer: Viewer, chatId: string, text: string): Promise<SupervisionResult<number>> {
    return this.write(viewer, chatId, 'barge-in', text);
  }

  private async write(
    viewer: Viewer,
    chatId: string,
    kind: 'whisper' | 'barge-in',
    text: string,
  ): Promise<SupervisionResult<number>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const { task, ref } = found.value;
    if (task.state !== 'connected')
      return refuse({
        code: 'not-live',
        message: 'Nobody is in this chat with the customer yet: wait until an agent accepts.',
      });
    if (task.assignedUserId === viewer.userId)
      return refuse({ code: 'conflict', message: 'The chat is yours now: answer it in My Sessions.' });
    const name = (await this.deps.store.repos.users.find(viewer.tenantId, viewer.userId))?.displayName ?? 'Supervisor';
    const first = !task.supervision?.some((e) => e.kind === kind && e.userId === viewer.userId);
    // Recorded before the message: a message is never in the chat without its trace.
    const recorded = await this.deps.routing.tasks.recordSupervision(ref, kind, viewer.userId);
    if (!recorded.ok) return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    if (kind === 'barge-in' && first)
      await this.deps.chats.postMessage(
        viewer.tenantId,
        chatId,
        'system',
        name,
        `${name} (supervisor) joined the conversation.`,
      );
    const posted = await this.deps.chats.postSupervisorMessage(viewer.tenantId, chatId, kind, name, text);
    if (!posted.ok) return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    return ok(posted.value.seq);
  }

  /** The chat becomes the supervisor's; the agent is told in Teams and freed of it. */
  async takeOver(viewer: Viewer, chatId: string): Promise<SupervisionResult<Stored<Task>>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const result = await this.deps.routing.tasks.takeOver(found.value.ref, viewer.userId);
    if (result.ok) return ok(result.value);
    if (result.refusal === 'already-taken') return refuse({ code: 'conflict', message: 'The chat is yours already.' });
    if (result.refusal === 'not-connected')
      return refuse({
        code: 'not-live',
        message: 'Nobody is in this chat with the customer yet: wait until an agent accepts.',
      });
    return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
  }
}
