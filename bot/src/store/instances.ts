import type { Container } from '@azure/cosmos';
import { z } from 'zod/v4';
import { cosmosStatus } from './errors';
import { INSTANCES_PK } from './partition-keys';
import type { StoreStats } from './stats';

/** One server instance, renewed by itself; `knows` are the live instances it counted at its last renewal. */
export const InstanceDoc = z.object({
  id: z.string().min(1).max(255),
  startedAt: z.number().int(),
  renewedAt: z.number().int(),
  expiresAt: z.number().int(),
  knows: z.array(z.string()),
});
export type InstanceDoc = z.infer<typeof InstanceDoc>;

/**
 * The instance registry, next to the sweeper's lease in the `timers` container, in its own partition.
 * A renewal is one upsert and one single-partition query.
 */
export class InstanceStore {
  constructor(
    private readonly container: Container,
    private readonly stats: StoreStats,
  ) {}

  async upsert(doc: InstanceDoc): Promise<void> {
    this.stats.writes++;
    await this.container.items.upsert({ ...InstanceDoc.parse(doc), type: 'instance', pk: INSTANCES_PK });
  }

  /** Every instance whose document has not expired at `now`. */
  async live(now: number): Promise<InstanceDoc[]> {
    this.stats.queries++;
    const { resources } = await this.container.items
      .query(
        // The pk filter matters on the embedded server, which ignores the partitionKey option.
        {
          query: `SELECT * FROM c WHERE c.pk = @pk AND c.type = 'instance' AND c.expiresAt > @now`,
          parameters: [
            { name: '@pk', value: INSTANCES_PK },
            { name: '@now', value: now },
          ],
        },
        { partitionKey: INSTANCES_PK },
      )
      .fetchAll();
    return resources.map((r: unknown) => InstanceDoc.parse(r));
  }

  async remove(id: string): Promise<void> {
    this.stats.writes++;
    try {
      await this.container.item(id, INSTANCES_PK).delete();
    } catch (err) {
      if (cosmosStatus(err) !== 404) throw err;
    }
  }
}
