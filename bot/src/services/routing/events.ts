import type { AgentState, Offer, Task, TaskReport } from '../../core/model';

/** What happened in routing, for the channels (Teams cards, widget SSE) to act on. */
export type RoutingEvent =
  | { type: 'task.queued'; task: Task }
  | { type: 'task.offered'; task: Task; offer: Offer }
  /** A pending offer stopped being pending: accepted, declined, not answered or withdrawn. */
  | { type: 'offer.resolved'; task: Task; offer: Offer }
  | { type: 'task.connected'; task: Task }
  | { type: 'task.ended'; task: Task; report: TaskReport }
  /** The chat moves on to a new task in another service. */
  | { type: 'task.transferred'; from: Task; to: Task }
  /** A supervisor took a connected chat over from its agent: the chat is theirs from now on. */
  | { type: 'task.taken-over'; task: Task; fromUserId: string }
  | { type: 'agent.changed'; agent: AgentState }
  /** An agent may have room for work again (available, out of RONA, a slot released): distribution looks. */
  | { type: 'agent.freed'; tenantId: string; userId: string };

type Handler<E> = (event: E) => void | Promise<void>;

/**
 * In-process event bus. Handlers run after the change is stored; a failing handler is reported and
 * never undoes or blocks the change. Other processes learn of changes through the store and timers.
 */
export class EventBus {
  private readonly handlers = new Map<RoutingEvent['type'], Set<Handler<RoutingEvent>>>();

  constructor(private readonly onHandlerError: (err: unknown, event: RoutingEvent) => void = () => undefined) {}

  on<T extends RoutingEvent['type']>(type: T, handler: Handler<Extract<RoutingEvent, { type: T }>>): () => void {
    const set = this.handlers.get(type) ?? new Set();
    set.add(handler as Handler<RoutingEvent>);
    this.handlers.set(type, set);
    return () => set.delete(handler as Handler<RoutingEvent>);
  }

  emit(event: RoutingEvent): void {
    for (const handler of this.handlers.get(event.type) ?? []) {
      try {
        const result = handler(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.onHandlerError(err, event));
      } catch (err) {
        this.onHandlerError(err, event);
      }
    }
  }
}
