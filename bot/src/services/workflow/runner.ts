import type { Logger } from 'pino';
import type { Chat, Service, Task } from '../../core/model';
import {
  type EngineInput,
  type StepResult,
  type SystemFacts,
  type TraceDraft,
  type WorkflowDefinition,
  type WorkflowInstance,
  type WorkflowTraceEntry,
  initialState,
  instanceId,
  step,
  traceEntryId,
} from '../../core/workflow';
import {
  AlreadyExistsError,
  NotFoundError,
  type Store,
  type Stored,
  type Timer,
  type WorkflowRepositories,
  timerIds,
  workflowScope,
} from '../../store';
import type { ChatService } from '../chat/chat-service';
import type { Clock } from '../routing/clock';
import type { EventBus } from '../routing/events';
import { type TaskRef, refOf } from '../routing/refs';
import type { TaskService } from '../routing/tasks';
import { CommandExecutor } from './commands';
import { WebRequestClient } from './web-request-client';
import { type Result, ok, refuse } from '../../core/result';

export type WorkflowRunnerOptions = {
  /**
   * While the runner works on a workflow its timer is moved this far ahead: if the process dies
   * mid-step, the sweeper fires it and another process (or this one, restarted) goes on. Longer than
   * the longest web request, so a slow request is not run twice.
   */
  recoveryMs: number;
};

export type StartResult = Result<
  'workflow' | 'already-running' | 'queued-without-workflow',
  'task-not-found' | 'task-ended' | 'not-a-service-task'
>;

type Trigger = 'start' | 'timer' | 'customer' | 'task-changed';

/** Another process moved the instance on between our read and our write: read again and decide again. */
class InstanceChanged extends Error {}

const MAX_CONFLICT_RETRIES = 5;

/**
 * Runs IM workflows durably. The instance (current node, wait, pending command, parameters) lives in
 * Cosmos and changes by conditional writes; every wait and every step in progress has a timer in the
 * TimerStore, so the sweeper resumes each workflow after a restart. Customer messages reach a waiting
 * activity through the chat log, read from the sequence number the wait started at, so a message sent
 * while no process listened is still found. Work on one task is serialised in this process; tasks run
 * independently, so a slow web request holds up only its own workflow.
 */
export class WorkflowRunner {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly detach: (() => void)[] = [];
  private readonly executor: CommandExecutor;
  private readonly options: WorkflowRunnerOptions;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      repos: WorkflowRepositories;
      tasks: TaskService;
      events: EventBus;
      chats: ChatService;
      clock: Clock;
      log: Logger;
      webRequests?: WebRequestClient;
      options?: Partial<WorkflowRunnerOptions>;
    },
  ) {
    this.options = { recoveryMs: 90_000, ...deps.options };
    this.executor = new CommandExecutor(
      deps.store,
      deps.repos,
      deps.tasks,
      deps.chats,
      deps.clock,
      deps.webRequests ?? new WebRequestClient(deps.clock),
      (ref) =>
        this.begin(ref).then((r) => {
          if (r.ok && r.value === 'workflow') void this.kick(ref, 'start');
        }),
    );
  }

  /** Listens to customer messages and to tasks being connected or ended. */
  attach(): void {
    if (this.detach.length > 0) return;
    this.detach.push(
      this.deps.chats.subscribeAll((e) => {
        if (e.type !== 'event' || e.event.kind !== 'message' || e.event.from !== 'customer') return;
        // A connected chat's workflow has closed (it closes on connect): nothing waits for these words.
        if (e.chat?.agent) return;
        void this.track(this.customerWrote(e.tenantId, e.chatId, e.chat));
      }),
      this.deps.events.on('task.connected', (e) => void this.kick(refOf(e.task), 'task-changed')),
      this.deps.events.on('task.ended', (e) => void this.kick(refOf(e.task), 'task-changed')),
    );
  }

  /**
   * Starts the workflow of a new service task (its service's IM workflow). A service without a
   * workflow still gets its tasks to agents: the task is queued with the default settings.
   * Returns once the workflow is stored; it runs on in the background (`idle()` waits for it).
   */
  async start(ref: TaskRef): Promise<StartResult> {
    const result = await this.begin(ref);
    if (result.ok && result.value !== 'queued-without-workflow') void this.kick(ref, 'start');
    return result;
  }

  /** The sweeper fired a workflow timer. */
  async onTimer(timer: Timer): Promise<void> {
    if (timer.payload.kind !== 'workflow') return;
    const ref = { tenantId: timer.tenantId, queue: timer.payload.queue, taskId: timer.payload.taskId };
    // Moving the timer first keeps it alive while the work runs in the background, and lets the sweeper
    // go on to other timers instead of waiting for, say, a slow web request.
    const inst = await this.find(ref);
    if (!inst) return;
    await this.scheduleTimer(inst, this.deps.clock.now() + this.options.recoveryMs);
    void this.kick(ref, 'timer');
  }

  /** The session's trace, in order, for admins. */
  async trace(tenantId: string, taskId: string): Promise<WorkflowTraceEntry[]> {
    return this.deps.repos.traces.ofTask(tenantId, taskId);
  }

  async instance(ref: Pick<TaskRef, 'tenantId' | 'taskId'>): Promise<Stored<WorkflowInstance> | undefined> {
    return this.find(ref);
  }

  /** Waits until no workflow work is in flight in this process. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.detach.splice(0)) off();
    await this.idle();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Queues work on one task behind the work already queued on it. */
  private kick(ref: TaskRef, trigger: Trigger): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const key = `${ref.tenantId}\n${ref.taskId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() =>
      this.process(ref, trigger).catch((err: unknown) => {
        // The instance's timer is still set, so the sweeper brings this work back.
        this.deps.log.error(
          { err, tenantId: ref.tenantId, taskId: ref.taskId },
          'workflow step failed; its timer will retry',
        );
      }),
    );
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return this.track(next);
  }

  private async customerWrote(tenantId: string, chatId: string, known?: Chat): Promise<void> {
    const chat = known ?? (await this.deps.chats.get(tenantId, chatId));
    if (!chat?.task) return;
    await this.kick({ tenantId, queue: chat.task.queue, taskId: chat.task.id }, 'customer');
  }

  private find(ref: Pick<TaskRef, 'tenantId' | 'taskId'>): Promise<Stored<WorkflowInstance> | undefined> {
    return this.deps.repos.instances.find(ref.tenantId, instanceId(ref.taskId), workflowScope(ref.taskId));
  }

  private scheduleTimer(inst: Pick<WorkflowInstance, 'tenantId' | 'taskId' | 'queue'>, dueAt: number): Promise<void> {
    return this.deps.store.timers.schedule({
      id: timerIds.workflow(inst.tenantId, inst.taskId),
      tenantId: inst.tenantId,
      dueAt,
      payload: { kind: 'workflow', queue: inst.queue, taskId: inst.taskId },
    });
  }

  /** Stores the instance of a new task, with its timer; the first step runs when the timer or a kick comes. */
  private async begin(ref: TaskRef): Promise<StartResult> {
    const { store, tasks, chats, clock, repos } = this.deps;
    const task = await tasks.get(ref);
    if (!task) return refuse('task-not-found');
    if (task.state === 'ended') return refuse('task-ended');
    if (task.target.kind !== 'service') return refuse('not-a-service-task');
    if (await this.find(ref)) return ok('already-running');
    await chats
      .update(task.tenantId, task.chatId, (chat) =>
        chat.task === null ? { ...chat, task: { id: task.id, queue: ref.queue } } : undefined,
      )
      .catch((err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
      });

    const service = await store.repos.services.find(task.tenantId, task.target.serviceId);
    const workflow = service?.im.workflowId
      ? await repos.workflows.find(task.tenantId, service.im.workflowId)
      : undefined;
    if (!service || !workflow) {
      await tasks.startWorkflow(ref);
      await tasks.enqueue(ref, {});
      return ok('queued-without-workflow');
    }
    const now = clock.now();
    const inst: WorkflowInstance = {
      id: instanceId(task.id),
      tenantId: task.tenantId,
      type: 'workflowInstance',
      taskId: task.id,
      queue: ref.queue,
      chatId: task.chatId,
      serviceId: service.id,
      channel: task.channel,
      workflowId: workflow.id,
      workflowVersion: workflow.version,
      ...initialState(workflow),
      traceSeq: 1,
      startedAt: now,
      updatedAt: now,
    };
    // The timer goes first: a crash after it finds no instance and does nothing; the reverse would
    // leave an instance nobody ever resumes.
    await this.scheduleTimer(inst, now + this.options.recoveryMs);
    try {
      await repos.instances.create(inst);
    } catch (err) {
      if (err instanceof AlreadyExistsError) return ok('already-running');
      throw err;
    }
    await this.writeTrace(inst, 0, [
      {
        nodeId: null,
        activity: null,
        event: 'started',
        detail: `${workflow.name} v${workflow.version} for ${service.name}`,
      },
    ]);
    await tasks.startWorkflow(ref);
    return ok('workflow');
  }

  private async process(ref: TaskRef, trigger: Trigger): Promise<void> {
    for (let attempt = 1; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      try {
        await this.processOnce(ref, trigger);
        return;
      } catch (err) {
        if (err instanceof InstanceChanged) continue;
        // Deleted under us: the workflow was stopped meanwhile.
        if (err instanceof NotFoundError && err.docType === 'workflowInstance') return;
        throw err;
      }
    }
    this.deps.log.warn(
      { tenantId: ref.tenantId, taskId: ref.taskId },
      'workflow kept changing under this process; its timer will retry',
    );
  }

  private async processOnce(ref: TaskRef, trigger: Trigger): Promise<void> {
    const { store, tasks, repos, clock } = this.deps;
    let inst = await this.find(ref);
    if (!inst) return;
    // Customers chat while they wait in the queue; only a question the workflow asked needs their words.
    if (trigger === 'customer' && !inst.wait?.forCustomer) return;
    const task = await tasks.get(ref);
    // Also checked on every resume, so a restart cannot miss that an agent took the task.
    if ((!task || task.state === 'connected' || task.state === 'ended') && !inst.closing) {
      await this.close(inst, task?.state === 'connected' ? 'an agent accepted the task' : 'the task ended');
      return;
    }
    if (trigger === 'task-changed') return;

    let input: EngineInput | undefined;
    if (inst.pending) {
      // A command stored but maybe never carried out: only the timer (the process that started it died,
      // or took too long) runs it again; anything else would run it twice next to a live process.
      if (trigger !== 'timer') return;
      input = undefined;
    } else if (inst.wait) {
      if (inst.wait.forCustomer) input = await this.customerAnswer(inst);
      if (!input && clock.now() >= inst.wait.until) input = { kind: 'timeout', token: inst.wait.token };
      if (!input) {
        // An early or stale timer: put it back at the wait's due time.
        if (trigger === 'timer') await this.scheduleTimer(inst, inst.wait.until);
        return;
      }
    } else input = { kind: 'start' };

    const [workflow, service] = await Promise.all([
      repos.workflows.find(ref.tenantId, inst.workflowId),
      store.repos.services.find(ref.tenantId, inst.serviceId),
    ]);
    if (!workflow) {
      // Deleted while in use: the documented outcome for a workflow that cannot go on.
      await this.executor.execute(
        { instance: inst, ref, service },
        { kind: 'end-session', outcome: 'failed', reason: 'workflow deleted' },
      );
      await this.close(inst, `workflow ${inst.workflowId} no longer exists`, 'failed');
      return;
    }
    const facts = factsOf(task, inst, service);
    await this.scheduleTimer(inst, clock.now() + this.options.recoveryMs);
    for (;;) {
      if (input) {
        const result = step(workflow, inst, input, { now: clock.now(), channel: inst.channel, facts });
        if (result.outcome.kind === 'ignored') {
          if (inst.wait) await this.scheduleTimer(inst, inst.wait.until);
          return;
        }
        inst = await this.save(inst, workflow, result);
        const outcome = result.outcome;
        if (outcome.kind === 'ended') {
          await this.close(inst, null);
          return;
        }
        if (outcome.kind === 'waiting') {
          // The answer may already be there (a fast customer, or another process heard it first).
          const answer = outcome.forCustomer ? await this.customerAnswer(inst) : undefined;
          if (answer) {
            input = answer;
            continue;
          }
          await this.scheduleTimer(inst, outcome.until);
          return;
        }
      }
      const pending = inst.pending;
      if (!pending) return;
      const result = await this.executor.execute({ instance: inst, ref, service }, pending.command);
      input = { kind: 'result', token: pending.token, result };
    }
  }

  /** The first customer message after the wait began, if any. */
  private async customerAnswer(inst: WorkflowInstance): Promise<EngineInput | undefined> {
    if (!inst.wait?.forCustomer) return undefined;
    const events = await this.deps.chats.eventsAfter(inst.tenantId, inst.chatId, inst.wait.afterSeq ?? 0);
    const message = events.find((e) => e.kind === 'message' && e.from === 'customer');
    return message && message.kind === 'message'
      ? { kind: 'customer-message', text: message.text, seq: message.seq }
      : undefined;
  }

  private async save(
    inst: Stored<WorkflowInstance>,
    workflow: WorkflowDefinition,
    result: StepResult,
  ): Promise<Stored<WorkflowInstance>> {
    const next: WorkflowInstance = {
      ...stripMeta(inst),
      ...result.state,
      workflowVersion: workflow.version,
      traceSeq: inst.traceSeq + result.trace.length,
      updatedAt: this.deps.clock.now(),
    };
    const written = await this.deps.repos.instances.replaceIfUnchanged(next, inst._etag);
    if (!written) throw new InstanceChanged();
    await this.writeTrace(written, inst.traceSeq, result.trace);
    return written;
  }

  private async writeTrace(
    inst: Pick<WorkflowInstance, 'tenantId' | 'taskId' | 'workflowId' | 'workflowVersion'>,
    afterSeq: number,
    drafts: readonly TraceDraft[],
  ): Promise<void> {
    const at = this.deps.clock.now();
    await Promise.all(
      drafts.map((d, i) =>
        this.deps.repos.traces.upsert({
          id: traceEntryId(afterSeq + i + 1),
          tenantId: inst.tenantId,
          type: 'workflowTrace',
          taskId: inst.taskId,
          seq: afterSeq + i + 1,
          at,
          workflowId: inst.workflowId,
          workflowVersion: inst.workflowVersion,
          nodeId: d.nodeId,
          activity: d.activity,
          event: d.event,
          detail: d.detail,
        }),
      ),
    );
  }

  /** The workflow is over: its instance and timer go; its trace stays. */
  private async close(
    inst: Stored<WorkflowInstance>,
    why: string | null,
    event: 'stopped' | 'failed' = 'stopped',
  ): Promise<void> {
    if (why !== null)
      await this.writeTrace(inst, inst.traceSeq, [{ nodeId: inst.nodeId, activity: null, event, detail: why }]);
    // What the workflow collected outlives it on the chat, where the agent's session view reads it.
    const collected = Object.fromEntries(Object.entries(inst.params).filter(([, v]) => v !== ''));
    if (Object.keys(collected).length > 0) {
      await this.deps.chats
        .update(inst.tenantId, inst.chatId, (c) => ({ ...c, parameters: { ...c.parameters, ...collected } }))
        .catch((err: unknown) => this.deps.log.warn({ err, chatId: inst.chatId }, 'collected parameters not kept'));
    }
    await this.deps.repos.instances.delete(inst.tenantId, inst.id, { scope: workflowScope(inst.taskId) });
    await this.deps.store.timers.cancel(timerIds.workflow(inst.tenantId, inst.taskId));
  }
}

function stripMeta(inst: Stored<WorkflowInstance>): WorkflowInstance {
  const { _etag: _e, _ts: _t, ...doc } = inst;
  return doc;
}

function factsOf(task: Task | undefined, inst: WorkflowInstance, service: Service | undefined): SystemFacts {
  return {
    customerName: task?.customer.displayName ?? '',
    customerEmail: task?.customer.email ?? null,
    channel: inst.channel,
    firstMessage: task?.firstMessage ?? null,
    serviceName: service?.name ?? '',
  };
}
