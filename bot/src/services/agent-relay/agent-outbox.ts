import { type IdSource, systemIds } from '../ids';
import type { Logger } from 'pino';
import type { DeliveryWhat, TeamsRepositories } from '../../store/teams-repositories';
import type { Clock } from '../routing/clock';
import type { AttemptFailure } from '../../core/relay';
import { DeliveryLane, type DeliveryLaneOptions, type SendResult, describeError } from '../delivery';
import {
  type AgentConversation,
  type AgentTransport,
  type AgentView,
  DeliveryError,
  type OutboundActivity,
} from './views';

type Job =
  | { op: 'send'; to: AgentConversation; activity: OutboundActivity }
  /** The activity id is looked up when the update's turn comes: the card it updates may still be on its way. */
  | { op: 'update'; to: AgentConversation; activityId: () => Promise<string | null>; activity: OutboundActivity };

/** How a delivery ended: the platform's ids of what arrived, or that it failed (and was recorded). */
export type Delivery =
  | { ok: true; ids: string[] }
  /**
   * `status`: the platform's HTTP answer to the last attempt, when it gave one. `closed`: not sent
   * because this instance is stopping (another instance may still send it).
   */
  | { ok: false; skipped?: 'no-activity-id'; status?: number; closed?: boolean };

export type DeliveryContext = {
  what: DeliveryWhat;
  chatId?: string | null;
  customerName?: string | null;
  /** False for someone who is no user of a tenant: there is no partition to keep a failure in. */
  record?: boolean;
};

const describe = (err: unknown): AttemptFailure => {
  if (err instanceof DeliveryError) return { status: err.status, retryAfterMs: err.retryAfterMs, message: err.message };
  // An update without a card to update is not a platform failure; nothing to retry.
  if (err instanceof SkipUpdate) return { status: undefined, message: SKIP, final: true };
  return describeError(err);
};

const previewOf = (view: AgentView): string => {
  switch (view.kind) {
    case 'text':
    case 'customer-message':
    case 'chat-note':
    case 'supervisor-message':
      return view.text.slice(0, 300);
    case 'session-card':
      return `Chat with ${view.card.customer.displayName}`.slice(0, 300);
    case 'choose-session':
      return (view.pendingText ?? 'Which chat?').slice(0, 300);
    case 'sessions':
      return 'Your sessions';
    case 'pickup':
      return 'Chats waiting for pickup';
    case 'notice':
      return view.notice.code;
  }
};

/**
 * Everything the bot says to agents goes through here: one ordered, rate-limited lane per Teams
 * conversation. A message that still fails after its retries is stored as a delivery failure and the
 * agent is told in a notice (a failed notice is only stored, so failures cannot cascade).
 */
export class AgentOutbox {
  private readonly lane: DeliveryLane;

  constructor(
    private readonly transport: AgentTransport,
    private readonly repos: Pick<TeamsRepositories, 'deliveryFailures'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    laneOptions: Omit<DeliveryLaneOptions, 'describe'>,
    private readonly ids: IdSource = systemIds,
  ) {
    this.lane = new DeliveryLane({ ...laneOptions, describe });
  }

  /** Sends a view as one or more messages, in order, after everything already queued for this agent. */
  async send(to: AgentConversation, view: AgentView, context: DeliveryContext): Promise<Delivery> {
    const results = await Promise.all(
      this.transport.render(view).map((activity) => this.enqueue({ op: 'send', to, activity })),
    );
    return this.settle(to, view, context, results);
  }

  /** Replaces a message in place (a card that changed state). */
  async update(
    to: AgentConversation,
    activityId: () => Promise<string | null>,
    view: AgentView,
    context: DeliveryContext,
  ): Promise<Delivery> {
    const [activity] = this.transport.render(view);
    if (!activity) return { ok: false };
    const result = await this.enqueue({ op: 'update', to, activityId, activity });
    if (!result.ok && result.failure.message === SKIP) return { ok: false, skipped: 'no-activity-id' };
    return this.settle(to, view, context, [result]);
  }

  /** Records a message that could not even be queued (the agent has no conversation with the bot). */
  async recordUndeliverable(
    tenantId: string,
    userId: string,
    view: AgentView,
    context: DeliveryContext,
    reason: string,
  ): Promise<void> {
    await this.record(tenantId, userId, view, context, { status: undefined, message: reason }, 0);
  }

  idle(): Promise<void> {
    return this.lane.idle();
  }

  close(): void {
    if (this.lane.pending > 0)
      this.log.warn({ pending: this.lane.pending }, 'messages to agents still queued at shutdown');
    this.lane.close();
  }

  /** One activity out, behind everything queued for that conversation. */
  private enqueue(job: Job): Promise<SendResult<string | null>> {
    return this.lane.send(laneOf(job.to), async () => {
      if (job.op === 'send') return (await this.transport.send(job.to, job.activity)).id;
      const id = await job.activityId();
      if (id === null) throw new SkipUpdate();
      await this.transport.update(job.to, id, job.activity);
      return id;
    });
  }

  private async settle(
    to: AgentConversation,
    view: AgentView,
    context: DeliveryContext,
    results: SendResult<string | null>[],
  ): Promise<Delivery> {
    const failed = results.find((r): r is Extract<SendResult<string | null>, { ok: false }> => !r.ok);
    if (!failed) return { ok: true, ids: results.flatMap((r) => (r.ok && r.value !== null ? [r.value] : [])) };
    if (failed.reason === 'closed' || context.record === false) {
      // Stopping (the store closes too) or nobody to keep it for: the log is all that can keep it.
      this.log.warn(
        { tenantId: to.tenantId, userId: to.userId, what: context.what, chatId: context.chatId },
        'message to agent not sent before shutdown',
      );
      return failed.reason === 'closed' ? { ok: false, closed: true } : { ok: false };
    }
    await this.record(to.tenantId, to.userId, view, context, failed.failure, failed.attempts);
    // Tell the agent, unless what failed was already such a notice.
    if (context.what !== 'notice') {
      const notice: AgentView = {
        kind: 'notice',
        notice: { code: 'delivery-failed', preview: previewOf(view), customerName: context.customerName ?? null },
      };
      void this.send(to, notice, { what: 'notice', chatId: context.chatId ?? null });
    }
    return { ok: false, status: failed.failure.status };
  }

  private async record(
    tenantId: string,
    userId: string,
    view: AgentView,
    context: DeliveryContext,
    failure: AttemptFailure,
    attempts: number,
  ): Promise<void> {
    this.log.warn(
      {
        tenantId,
        userId,
        what: context.what,
        chatId: context.chatId,
        status: failure.status,
        attempts,
        reason: failure.message,
      },
      'message to agent not delivered',
    );
    try {
      await this.repos.deliveryFailures.create({
        id: `fail-${this.ids.uuid()}`,
        tenantId,
        type: 'teamsDeliveryFailure',
        userId,
        at: this.clock.now(),
        what: context.what,
        chatId: context.chatId ?? null,
        preview: previewOf(view),
        status: failure.status ?? null,
        reason: failure.message.slice(0, 500),
        attempts,
      });
    } catch (err) {
      this.log.error({ err, tenantId, userId }, 'recording an undelivered message failed');
    }
  }
}

const SKIP = 'no activity to update';
class SkipUpdate extends Error {
  constructor() {
    super(SKIP);
  }
}

/**
 * The Bot Connector refuses for good: 403 (the bot is not installed for the user, or blocked) or 404
 * (the conversation is gone). Nothing sent to that conversation can arrive until the app is installed.
 */
export const conversationGone = (status: number | undefined): boolean => status === 403 || status === 404;

const laneOf = (to: AgentConversation): string => `${to.tenantId}|${to.conversationId}`;
