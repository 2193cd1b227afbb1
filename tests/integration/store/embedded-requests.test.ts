import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Container } from '@azure/cosmos';
import { createCosmosClient } from '../../../bot/src/store/cosmos';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../../bot/src/store/embedded';
import { openForAll } from '../../helpers/hooks';

let cosmos: EmbeddedCosmos;
let container: Container;
openForAll(async () => {
  cosmos = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
  const client = createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key });
  const { database } = await client.databases.createIfNotExists({ id: 'r' });
  ({ container } = await database.containers.createIfNotExists({ id: 'docs', partitionKey: { paths: ['/pk'] } }));
  await container.items.create({ id: 'seed', pk: 'p1', v: 1 });
  return [{ close: () => cosmos.stop() }];
});

/** Runs `fn` and says which HTTP requests the embedded server received meanwhile. */
async function counted(fn: () => Promise<unknown>) {
  const before = cosmos.requests();
  await fn();
  const after = cosmos.requests();
  const delta = (k: keyof typeof after) => after[k] - before[k];
  return {
    reads: delta('reads'),
    writes: delta('writes'),
    queries: delta('queries'),
    queryPlans: delta('queryPlans'),
    total: delta('total'),
  };
}

describe('the HTTP request counts of the embedded store', () => {
  it('count a point read, a create and a query (with its query plan) by kind', async () => {
    expect(await counted(() => container.item('seed', 'p1').read())).toEqual({
      reads: 1,
      writes: 0,
      queries: 0,
      queryPlans: 0,
      total: 1,
    });
    expect(await counted(() => container.items.create({ id: 'new', pk: 'p1', v: 2 }))).toEqual({
      reads: 0,
      writes: 1,
      queries: 0,
      queryPlans: 0,
      total: 1,
    });
    expect(
      await counted(() =>
        container.items
          .query({ query: 'SELECT * FROM c WHERE c.pk = @pk', parameters: [{ name: '@pk', value: 'p1' }] })
          .fetchAll(),
      ),
    ).toEqual({ reads: 0, writes: 0, queries: 1, queryPlans: 1, total: 2 });
  });
});

describe('the HTTP request counts of an embedded store with a data directory', () => {
  it('leave out its own requests (restore, snapshots), counted apart', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cc-requests-'));
    try {
      const store = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
      try {
        const client = createCosmosClient({ endpoint: store.endpoint, key: store.key });
        const { database } = await client.databases.createIfNotExists({ id: 'r' });
        const { container: docs } = await database.containers.createIfNotExists({
          id: 'docs',
          partitionKey: { paths: ['/pk'] },
        });
        const before = store.requests();
        await docs.items.create({ id: 'a', pk: 'p1' });
        expect(await store.save()).toBe(true);
        const after = store.requests();
        expect(after.total - before.total).toBe(1);
        expect(after.writes - before.writes).toBe(1);
        expect(after.internal).toBeGreaterThan(before.internal);
        client.dispose();
      } finally {
        await store.stop();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
