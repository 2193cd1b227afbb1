import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod/v4';
import type { TeamsPresenceMode } from '../../config';
import type { TeamsPresence } from '../../core/model';
import { teamsLayer } from '../../core/routing';
import { PRESENCE_SCOPE, type PresenceSubscription, type Store, type Stored } from '../../store';
import type { GraphClient, GraphFailure } from '../directory/graph-client';
import type { AgentService } from '../routing/agents';
import type { Clock } from '../routing/clock';
import type { TaskService } from '../routing/tasks';

/** Graph takes at most 650 ids in one presence subscription's filter and in one getPresencesByUserId. */
export const MAX_PRESENCE_IDS = 650;
/** Presence subscriptions live about an hour at most; we ask for that and renew well before. */
export const SUBSCRIPTION_LIFETIME_MS = 60 * 60_000;
export const RENEW_BEFORE_MS = 15 * 60_000;
/** How often the subscription loop looks for subscriptions to create or renew. */
export const SUBSCRIPTION_CHECK_MS = 60_000;

export type PresenceGraph = Pick<GraphClient, 'request'>;

const GraphPresence = z.object({ id: z.string().min(1), availability: z.string().min(1), activity: z.string().min(1) });
const Presences = z.object({ value: z.array(z.unknown()) });
const CreatedSubscription = z.object({ id: z.string().min(1).max(200), expirationDateTime: z.string() });

/** One item of a change or lifecycle notification, as much as we read of it. */
const NotificationItem = z.object({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(200).nullish(),
  tenantId: z.string().max(100).nullish(),
  resource: z.string().max(1000).nullish(),
  lifecycleEvent: z.string().max(100).nullish(),
  resourceData: z
    .object({ availability: z.string().min(1).max(50), activity: z.string().min(1).max(50) })
    .partial()
    .passthrough()
    .nullish(),
});
const Notifications = z.object({ value: z.array(z.unknown()).max(1000) });

/** The user id of a presence resource path: `communications/presences('{id}')`. */
export function presenceUserId(resource: string | null | undefined): string | undefined {
  const m = /communications\/presences\('([^']{1,128})'\)$/i.exec(resource ?? '');
  return m?.[1];
}

/** The subscription resource for these users. */
export const presenceResource = (userIds: readonly string[]): string =>
  `/communications/presences?$filter=id in (${userIds.map((id) => `'${id}'`).join(',')})`;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type TeamsPresenceDeps = {
  store: Pick<Store, 'repos'>;
  agents: Pick<AgentService, 'applyTeamsPresence'>;
  tasks: Pick<TaskService, 'get' | 'withdrawOffer'>;
  /** Undefined without app credentials: nothing is read. */
  graph: PresenceGraph | undefined;
  clock: Clock;
  log: Logger;
  mode: TeamsPresenceMode;
  pollSeconds: number;
  /** Where Graph posts notifications (`<PUBLIC_BASE_URL>/api/graph/presence`); lifecycle events go to `/lifecycle` under it. */
  notificationUrl: string;
};

/**
 * Agents' Teams presence from Microsoft Graph, for the IM license holders of every tenant: change
 * notifications (subscriptions created, renewed before they expire, re-created when Graph removes
 * them) or, where Graph cannot reach us, polling. Each presence is stored on the agent's routing state;
 * going Offline in Teams withdraws the agent's pending offers. A loop owned here runs on a timer
 * between `start` and `stop`; the decisions read the injected clock, and tests call `tick` themselves.
 */
export class TeamsPresenceService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: TeamsPresenceDeps) {}

  get mode(): TeamsPresenceMode {
    return this.deps.graph ? this.deps.mode : 'off';
  }

  /** How often the loop runs: the subscription check, or the poll interval; undefined for no loop. */
  get loopMs(): number | undefined {
    if (this.mode === 'subscribe') return SUBSCRIPTION_CHECK_MS;
    if (this.mode === 'poll' && this.deps.pollSeconds > 0) return this.deps.pollSeconds * 1000;
    return undefined;
  }

  start(): void {
    const every = this.loopMs;
    if (every === undefined || this.timer) return;
    const run = () => void this.tick().catch((err: unknown) => this.deps.log.error({ err }, 'Teams presence failed'));
    this.timer = setInterval(run, every);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.idle();
  }

  /** Waits for the notifications being applied. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** One pass over every tenant: subscriptions created or renewed, or presence read (never two at once). */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      if (this.mode === 'off') return;
      for (const tenant of await this.deps.store.repos.tenants.everyTenant()) {
        const userIds = [...new Set(tenant.licenses.imModality.assignees)].sort();
        try {
          if (this.mode === 'subscribe') await this.subscribeTenant(tenant.id, userIds);
          else await this.poll(tenant.id, userIds);
        } catch (err) {
          this.deps.log.error({ err, tenantId: tenant.id }, 'Teams presence of the tenant failed');
        }
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Reads the presence of these users (batches of 650) and applies what changed. */
  async poll(tenantId: string, userIds: readonly string[]): Promise<void> {
    const graph = this.deps.graph;
    if (!graph) return;
    for (const ids of chunks(userIds, MAX_PRESENCE_IDS)) {
      const read = await graph.request(
        tenantId,
        { method: 'POST', path: '/v1.0/communications/getPresencesByUserId', body: { ids } },
        (body) => Presences.safeParse(body).data,
      );
      if (!read.ok) {
        this.failed(tenantId, 'reading Teams presence', read.refusal);
        continue;
      }
      for (const item of read.value.value) {
        const presence = GraphPresence.safeParse(item);
        if (presence.success && ids.includes(presence.data.id))
          await this.apply(tenantId, presence.data.id, presence.data);
      }
    }
  }

  /** Stores a Teams presence for the agent; Offline in Teams withdraws their pending offers. */
  async apply(
    tenantId: string,
    userId: string,
    presence: Pick<TeamsPresence, 'availability' | 'activity'>,
  ): Promise<void> {
    const { after } = await this.deps.agents.applyTeamsPresence(tenantId, userId, presence);
    if (teamsLayer(presence).presence !== 'offline') return;
    for (const slot of after.slots.filter((s) => s.kind === 'offer')) {
      const ref = { tenantId, queue: slot.queue, taskId: slot.taskId };
      const task = await this.deps.tasks.get(ref);
      const offer = task?.offers.find((o) => o.userId === userId && o.state === 'pending');
      if (!offer) continue;
      const withdrawn = await this.deps.tasks.withdrawOffer(ref, offer.id);
      this.deps.log.info(
        { tenantId, userId, taskId: slot.taskId, withdrawn: withdrawn.ok },
        'offer withdrawn: the agent went Offline in Teams',
      );
    }
  }

  // ---- change notifications

  /** A batch of change notifications, answered before it is applied (Graph wants a quick 202). */
  notified(body: unknown): void {
    this.eachVerified(body, async (item, subscription) => {
      const userId = presenceUserId(item.resource);
      const data = item.resourceData;
      if (!userId || !subscription.userIds.includes(userId) || !data?.availability || !data.activity) {
        this.deps.log.warn({ subscriptionId: subscription.id }, 'a presence notification we cannot read was ignored');
        return;
      }
      await this.apply(subscription.tenantId, userId, { availability: data.availability, activity: data.activity });
    });
  }

  /** Lifecycle notifications: renew when Graph asks, re-read what was missed, re-create a removed subscription. */
  lifecycle(body: unknown): void {
    this.eachVerified(body, async (item, subscription) => {
      const { tenantId, userIds } = subscription;
      switch (item.lifecycleEvent) {
        case 'reauthorizationRequired':
          await this.renew(subscription);
          break;
        case 'missed':
          await this.poll(tenantId, userIds);
          break;
        case 'subscriptionRemoved':
          await this.deps.store.repos.presenceSubscriptions.delete(tenantId, subscription.id, {
            scope: PRESENCE_SCOPE,
          });
          await this.create(tenantId, userIds);
          break;
        default:
          this.deps.log.info({ event: item.lifecycleEvent }, 'presence lifecycle event ignored');
      }
    });
  }

  /** Each item of a notification batch that names a subscription with its clientState, after the 202. */
  private eachVerified(
    body: unknown,
    handle: (item: z.infer<typeof NotificationItem>, subscription: Stored<PresenceSubscription>) => Promise<void>,
  ): void {
    this.later(async () => {
      for (const raw of Notifications.safeParse(body).data?.value ?? []) {
        const item = NotificationItem.safeParse(raw);
        if (!item.success) continue;
        const subscription = await this.verified(item.data);
        if (subscription) await handle(item.data, subscription);
      }
    });
  }

  private later(work: () => Promise<void>): void {
    const p = work()
      .catch((err: unknown) => this.deps.log.error({ err }, 'Teams presence notification failed'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** The subscription a notification names, if it carries that subscription's clientState. */
  private async verified(item: z.infer<typeof NotificationItem>): Promise<Stored<PresenceSubscription> | undefined> {
    const subscription = item.tenantId
      ? await this.deps.store.repos.presenceSubscriptions.find(item.tenantId, item.subscriptionId, PRESENCE_SCOPE)
      : undefined;
    if (!subscription || !item.clientState || !sameSecret(item.clientState, subscription.clientState)) {
      this.deps.log.warn(
        { subscriptionId: item.subscriptionId, tenantId: item.tenantId },
        'a presence notification with an unknown subscription or a wrong clientState was ignored',
      );
      return undefined;
    }
    return subscription;
  }

  // ---- subscriptions

  /** The tenant's subscriptions cover exactly its licensed agents, and none is near its expiry. */
  private async subscribeTenant(tenantId: string, userIds: readonly string[]): Promise<void> {
    const existing = await this.deps.store.repos.presenceSubscriptions.ofTenant(tenantId);
    const covered = existing.flatMap((s) => s.userIds).sort();
    if (covered.join(',') !== userIds.join(',')) {
      for (const s of existing) await this.remove(s);
      for (const ids of chunks(userIds, MAX_PRESENCE_IDS)) await this.create(tenantId, ids);
      return;
    }
    const now = this.deps.clock.now();
    for (const s of existing) if (s.expiresAt - now <= RENEW_BEFORE_MS) await this.renew(s);
  }

  private expiry(): { at: number; iso: string } {
    const at = this.deps.clock.now() + SUBSCRIPTION_LIFETIME_MS;
    return { at, iso: new Date(at).toISOString() };
  }

  private async create(tenantId: string, userIds: string[]): Promise<void> {
    const graph = this.deps.graph;
    if (!graph || userIds.length === 0) return;
    const clientState = randomBytes(24).toString('base64url');
    const expiry = this.expiry();
    const created = await graph.request(
      tenantId,
      {
        method: 'POST',
        path: '/v1.0/subscriptions',
        body: {
          changeType: 'updated',
          notificationUrl: this.deps.notificationUrl,
          lifecycleNotificationUrl: `${this.deps.notificationUrl}/lifecycle`,
          resource: presenceResource(userIds),
          expirationDateTime: expiry.iso,
          clientState,
        },
      },
      (body) => CreatedSubscription.safeParse(body).data,
    );
    if (!created.ok) {
      // Without a subscription the presence is still read, once per pass, until one can be created.
      this.failed(tenantId, 'subscribing to Teams presence', created.refusal);
      await this.poll(tenantId, userIds);
      return;
    }
    const expiresAt = Date.parse(created.value.expirationDateTime);
    await this.deps.store.repos.presenceSubscriptions.upsert({
      id: created.value.id,
      tenantId,
      type: 'presenceSubscription',
      userIds,
      clientState,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : expiry.at,
      createdAt: this.deps.clock.now(),
      renewedAt: null,
    });
    // Notifications tell changes only: what Teams says now is read once, so nobody waits for a change.
    await this.poll(tenantId, userIds);
  }

  private async renew(subscription: Stored<PresenceSubscription>): Promise<void> {
    const graph = this.deps.graph;
    if (!graph) return;
    const expiry = this.expiry();
    const renewed = await graph.request(
      subscription.tenantId,
      {
        method: 'PATCH',
        path: `/v1.0/subscriptions/${encodeURIComponent(subscription.id)}`,
        body: { expirationDateTime: expiry.iso },
      },
      (body) => CreatedSubscription.partial().safeParse(body ?? {}).data,
    );
    if (!renewed.ok) {
      this.failed(subscription.tenantId, 'renewing a Teams presence subscription', renewed.refusal);
      // Gone at Graph (expired meanwhile): subscribe again.
      if (renewed.refusal.status === 404) {
        await this.deps.store.repos.presenceSubscriptions.delete(subscription.tenantId, subscription.id, {
          scope: PRESENCE_SCOPE,
        });
        await this.create(subscription.tenantId, subscription.userIds);
      }
      return;
    }
    const expiresAt = Date.parse(renewed.value.expirationDateTime ?? '');
    await this.deps.store.repos.presenceSubscriptions.upsert({
      ...subscription,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : expiry.at,
      renewedAt: this.deps.clock.now(),
    });
  }

  private async remove(subscription: Stored<PresenceSubscription>): Promise<void> {
    const deleted = await this.deps.graph?.request(
      subscription.tenantId,
      { method: 'DELETE', path: `/v1.0/subscriptions/${encodeURIComponent(subscription.id)}` },
      () => true,
    );
    if (deleted && !deleted.ok && deleted.refusal.status !== 404)
      this.failed(subscription.tenantId, 'removing a Teams presence subscription', deleted.refusal);
    await this.deps.store.repos.presenceSubscriptions.delete(subscription.tenantId, subscription.id, {
      scope: PRESENCE_SCOPE,
    });
  }

  private failed(tenantId: string, what: string, failure: GraphFailure): void {
    this.deps.log.warn(
      { tenantId, status: failure.status, code: failure.code, message: failure.message },
      `${what} failed`,
    );
  }
}
