import type { Container } from '@azure/cosmos';
import { z } from 'zod/v4';
import { cosmosStatus } from './errors';
import { LEASES_PK, TIMERS_PK } from './partition-keys';
import type { StoreStats } from './stats';

/** What a timer does when it fires; each kind names the documents it points at. */
export const TimerPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offer-timeout'), queue: z.string(), taskId: z.string(), offerId: z.string() }),
  z.object({ kind: z.literal('max-queue'), queue: z.string(), taskId: z.string() }),
  z.object({ kind: z.literal('rona-reset'), userId: z.string() }),
  z.object({ kind: z.literal('distribute'), queue: z.string() }),
  /** Safety net: writes the reports and frees the slots of an ended task if the process died mid-way. */
  z.object({ kind: z.literal('finalize'), queue: z.string(), taskId: z.string() }),
  /** A workflow's wait is due, or its runner may have died mid-step: the workflow runner goes on. */
  z.object({ kind: z.literal('workflow'), queue: z.string(), taskId: z.string() }),
  /** A website customer has had no event stream open for the configured time: they left. */
  z.object({ kind: z.literal('customer-away'), chatId: z.string() }),
]);
export type TimerPayload = z.infer<typeof TimerPayload>;

export const Timer = z.object({
  id: z.string().min(1).max(255),
  tenantId: z.string().min(1),
  type: z.literal('timer'),
  dueAt: z.number().int(),
  payload: TimerPayload,
});
export type Timer = z.infer<typeof Timer>;
export type DueTimer = Timer & { _etag: string };

const Lease = z.object({ id: z.string(), type: z.literal('lease'), owner: z.string(), expiresAt: z.number().int() });

/**
 * Durable timers: due times stored in Cosmos so a restart loses none. Ids are deterministic per
 * purpose, so scheduling the same timer again moves it instead of adding another.
 */
export class TimerStore {
  constructor(
    private readonly container: Container,
    private readonly stats: StoreStats,
  ) {}

  async schedule(timer: Omit<Timer, 'type'>): Promise<void> {
    this.stats.writes++;
    await this.container.items.upsert({ ...Timer.parse({ ...timer, type: 'timer' }), pk: TIMERS_PK });
  }

  async cancel(id: string): Promise<void> {
    this.stats.writes++;
    try {
      await this.container.item(id, TIMERS_PK).delete();
    } catch (err) {
      if (cosmosStatus(err) !== 404) throw err;
    }
  }

  async find(id: string): Promise<Timer | undefined> {
    this.stats.reads++;
    const { resource } = await this.container.item(id, TIMERS_PK).read();
    return resource ? Timer.parse(resource) : undefined;
  }

  /** Timers due at `now`, oldest first. */
  async due(now: number, limit: number): Promise<DueTimer[]> {
    this.stats.queries++;
    const { resources } = await this.container.items
      .query(
        // The pk filter matters on the embedded server, which ignores the partitionKey option.
        {
          query: `SELECT TOP ${Math.floor(limit)} * FROM c WHERE c.pk = @pk AND c.type = 'timer' AND c.dueAt <= @now ORDER BY c.dueAt`,
          parameters: [
            { name: '@pk', value: TIMERS_PK },
            { name: '@now', value: now },
          ],
        },
        { partitionKey: TIMERS_PK },
      )
      .fetchAll();
    return resources.map((r: { _etag: string }) => ({ ...Timer.parse(r), _etag: r._etag }));
  }

  /** Removes a fired timer unless it was rescheduled meanwhile (then the new due time stands). */
  async complete(timer: DueTimer): Promise<void> {
    this.stats.writes++;
    try {
      await this.container
        .item(timer.id, TIMERS_PK)
        .delete({ accessCondition: { type: 'IfMatch', condition: timer._etag } });
    } catch (err) {
      const status = cosmosStatus(err);
      if (status !== 404 && status !== 412) throw err;
    }
  }

  /**
   * Takes or renews the named lease for `owner` until `now + ttlMs`. Succeeds when the lease is free,
   * expired or already ours; one conditional write decides between processes racing for it.
   */
  async acquireLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    this.stats.reads++;
    const { resource } = await this.container.item(name, LEASES_PK).read();
    const lease = { id: name, type: 'lease' as const, owner, expiresAt: now + ttlMs, pk: LEASES_PK };
    try {
      this.stats.writes++;
      if (!resource) {
        await this.container.items.create(lease);
        return true;
      }
      const current = Lease.parse(resource);
      if (current.owner !== owner && current.expiresAt > now) return false;
      await this.container
        .item(name, LEASES_PK)
        .replace(lease, { accessCondition: { type: 'IfMatch', condition: (resource as { _etag: string })._etag } });
      return true;
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 409 || status === 412) {
        this.stats.conflicts++;
        return false;
      }
      throw err;
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    const { resource } = await this.container.item(name, LEASES_PK).read();
    if (!resource || Lease.parse(resource).owner !== owner) return;
    try {
      await this.container
        .item(name, LEASES_PK)
        .delete({ accessCondition: { type: 'IfMatch', condition: (resource as { _etag: string })._etag } });
    } catch (err) {
      const status = cosmosStatus(err);
      if (status !== 404 && status !== 412) throw err;
    }
  }
}
