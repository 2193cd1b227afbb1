import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ChangeFeedMode,
  ChangeFeedStartFrom,
  type ChangeFeedPullModelIterator,
  type Container,
  CosmosClient,
  PartitionKeyBuilder,
  StatusCodes,
} from '@azure/cosmos';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../../bot/src/store/embedded';

/**
 * The embedded store's change feed, read with the real SDK's pull-model iterator, as the fan-out reads
 * it from Cosmos DB.
 */

type Doc = { id: string; pk: string; n: number; _lsn?: number };

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cc-feed-'));

async function openContainer(
  cosmos: EmbeddedCosmos,
  id = 'items',
): Promise<{ client: CosmosClient; container: Container }> {
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'feed' });
  const { container } = await database.containers.createIfNotExists({ id, partitionKey: { paths: ['/pk'] } });
  return { client, container };
}

/** Reads until the feed answers 304; every page's documents, in order. */
async function drain(iterator: ChangeFeedPullModelIterator<Doc>): Promise<Doc[]> {
  const out: Doc[] = [];
  for (let i = 0; i < 100; i++) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return out;
    expect(page.statusCode).toBe(StatusCodes.Ok);
    out.push(...page.result);
  }
  throw new Error('the feed never ran dry');
}

const fromNow = (container: Container, maxItemCount?: number) =>
  container.items.getChangeFeedIterator<Doc>({ changeFeedStartFrom: ChangeFeedStartFrom.Now(), maxItemCount });

describe('embedded store change feed (latest version)', () => {
  let cosmos: EmbeddedCosmos;
  let client: CosmosClient;
  let container: Container;
  beforeAll(async () => {
    cosmos = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
    ({ client, container } = await openContainer(cosmos));
  });
  afterAll(async () => {
    client.dispose();
    await cosmos.stop();
  });

  it('from now: nothing written before, every change after, in modification order', async () => {
    await container.items.create({ id: 'before', pk: 'a', n: 0 });
    const iterator = fromNow(container);
    expect(await drain(iterator)).toEqual([]);
    await container.items.create({ id: 'x', pk: 'a', n: 1 });
    await container.items.create({ id: 'y', pk: 'b', n: 2 });
    await container.items.upsert({ id: 'before', pk: 'a', n: 3 });
    const seen = await drain(iterator);
    expect(seen.map((d) => [d.id, d.n])).toEqual([
      ['x', 1],
      ['y', 2],
      ['before', 3],
    ]);
    // Each with its LSN, increasing, and its system properties.
    const lsns = seen.map((d) => d._lsn!);
    expect([...lsns].sort((a, b) => a - b)).toEqual(lsns);
    expect(new Set(lsns).size).toBe(3);
    expect(seen.every((d) => typeof (d as unknown as { _etag: unknown })._etag === 'string')).toBe(true);
    // Read dry: the next poll is a 304 again.
    expect((await iterator.readNext()).statusCode).toBe(StatusCodes.NotModified);
  });

  it('updates collapse to the latest version, at the place of the latest write; deletes are not in it', async () => {
    const iterator = fromNow(container);
    await drain(iterator);
    await container.items.create({ id: 'p', pk: 'c', n: 1 });
    await container.items.create({ id: 'q', pk: 'c', n: 1 });
    await container.item('p', 'c').replace({ id: 'p', pk: 'c', n: 2 });
    await container.item('p', 'c').patch([{ op: 'set', path: '/n', value: 3 }]);
    await container.items.create({ id: 'gone', pk: 'c', n: 1 });
    await container.item('gone', 'c').delete();
    const seen = await drain(iterator);
    expect(seen.map((d) => [d.id, d.n])).toEqual([
      ['q', 1],
      ['p', 3],
    ]);
  });

  it('pages at maxItemCount and goes on where the page ended', async () => {
    const iterator = fromNow(container, 3);
    await drain(iterator);
    for (let n = 0; n < 8; n++) await container.items.create({ id: `page-${n}`, pk: 'd', n });
    const sizes: number[] = [];
    const ids: string[] = [];
    for (;;) {
      const page = await iterator.readNext();
      if (page.statusCode === StatusCodes.NotModified) break;
      sizes.push(page.result.length);
      ids.push(...page.result.map((d) => d.id));
    }
    expect(sizes).toEqual([3, 3, 2]);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `page-${n}`));
  });

  it('a continuation token resumes with only the changes after it, in a new iterator', async () => {
    const first = fromNow(container);
    await drain(first);
    await container.items.create({ id: 'seen', pk: 'e', n: 1 });
    expect((await drain(first)).map((d) => d.id)).toEqual(['seen']);
    const page = await first.readNext();
    const token = page.continuationToken;
    expect(typeof token).toBe('string');
    await container.items.create({ id: 'after', pk: 'e', n: 2 });
    await container.items.upsert({ id: 'seen', pk: 'e', n: 3 });
    const resumed = container.items.getChangeFeedIterator<Doc>({
      changeFeedStartFrom: ChangeFeedStartFrom.Continuation(token),
    });
    expect((await drain(resumed)).map((d) => [d.id, d.n])).toEqual([
      ['after', 2],
      ['seen', 3],
    ]);
  });

  it('from the beginning: every live document once, oldest write first; per partition key: only its own', async () => {
    const { container: own } = await openContainer(cosmos, 'beginning');
    await own.items.create({ id: 'one', pk: 'f', n: 1 });
    await own.items.create({ id: 'two', pk: 'g', n: 2 });
    await own.items.create({ id: 'three', pk: 'f', n: 3 });
    await own.items.upsert({ id: 'one', pk: 'f', n: 4 });
    const all = own.items.getChangeFeedIterator<Doc>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    expect((await drain(all)).map((d) => d.id)).toEqual(['two', 'three', 'one']);
    const onlyF = own.items.getChangeFeedIterator<Doc>({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning(new PartitionKeyBuilder().addValue('f').build()),
    });
    expect((await drain(onlyF)).map((d) => d.id)).toEqual(['three', 'one']);
  });

  it('refuses the all-versions mode, a continuation that is not its own, and unsigned reads', async () => {
    await expect(
      container.items
        .getChangeFeedIterator<Doc>({
          changeFeedStartFrom: ChangeFeedStartFrom.Now(),
          changeFeedMode: ChangeFeedMode.AllVersionsAndDeletes,
        })
        .readNext(),
    ).rejects.toMatchObject({ code: 400, message: expect.stringContaining('latest-version mode') });
    const { resource } = await container.read();
    const tokenWith = (rid: string, continuationToken: string) =>
      JSON.stringify({ rid, Continuation: [{ minInclusive: '', maxExclusive: 'FF', continuationToken }] });
    const resume = (token: string) =>
      container.items
        .getChangeFeedIterator<Doc>({ changeFeedStartFrom: ChangeFeedStartFrom.Continuation(token) })
        .readNext();
    await expect(resume(tokenWith(resource!._rid, '"not-a-number"'))).rejects.toMatchObject({
      code: 400,
      message: expect.stringContaining('not a change-feed continuation'),
    });
    await expect(resume(tokenWith('other', '"1"'))).rejects.toThrow(/not for the current container/);
    const unsigned = await fetch(`${cosmos.endpoint}/dbs/feed/colls/items/docs`, {
      headers: { 'a-im': 'Incremental feed', 'if-none-match': '*' },
    });
    expect(unsigned.status).toBe(401);
  });

  it('costs one request per poll when idle, and the poll is a read', async () => {
    const iterator = fromNow(container);
    await drain(iterator);
    const before = cosmos.requests();
    for (let i = 0; i < 10; i++) expect((await iterator.readNext()).statusCode).toBe(StatusCodes.NotModified);
    const after = cosmos.requests();
    expect(after.total - before.total).toBe(10);
    expect(after.reads - before.reads).toBe(10);
  });
});

/** The data directory's files as a crash would leave them: what is on disk now, copied while the store runs. */
function crashImage(dataDir: string): string {
  const copy = tempDir();
  for (const name of readdirSync(dataDir))
    if (name === 'cosmos-key' || name === 'cosmos-snapshot.json' || name.startsWith('journal-'))
      copyFileSync(path.join(dataDir, name), path.join(copy, name));
  return copy;
}

describe('embedded store change feed across a restart', () => {
  it('a continuation from before a clean restart yields the changes after it, whether in the snapshot or new', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedCosmos({ dataDir, saveIntervalMs: 0 });
    let token: string;
    {
      const { client, container } = await openContainer(first);
      const iterator = fromNow(container);
      await drain(iterator);
      await container.items.create({ id: 'r1', pk: 'a', n: 1 });
      await container.items.create({ id: 'r2', pk: 'a', n: 2 });
      // The last LSN before the token belonged to a document that is gone: its number is not reused.
      await container.items.create({ id: 'deleted-last', pk: 'a', n: 3 });
      await container.item('deleted-last', 'a').delete();
      expect((await drain(iterator)).map((d) => d.id)).toEqual(['r1', 'r2']);
      token = (await iterator.readNext()).continuationToken;
      // After the token, and in the snapshot the clean stop writes.
      await container.items.upsert({ id: 'r2', pk: 'a', n: 20 });
      client.dispose();
    }
    await first.stop();
    const second = await startEmbeddedCosmos({ dataDir, saveIntervalMs: 0 });
    try {
      const { client, container } = await openContainer(second);
      const resumed = container.items.getChangeFeedIterator<Doc>({
        changeFeedStartFrom: ChangeFeedStartFrom.Continuation(token),
      });
      expect((await drain(resumed)).map((d) => [d.id, d.n])).toEqual([['r2', 20]]);
      await container.items.create({ id: 'r3', pk: 'a', n: 3 });
      expect((await drain(resumed)).map((d) => d.id)).toEqual(['r3']);
      // From the beginning, the restored documents keep their order.
      const all = container.items.getChangeFeedIterator<Doc>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
      expect((await drain(all)).map((d) => d.id)).toEqual(['r1', 'r2', 'r3']);
      client.dispose();
    } finally {
      await second.stop();
    }
  });

  it('after a crash, the journal replayed on the snapshot brings every change after the token', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedCosmos({ dataDir, saveIntervalMs: 0 });
    const { client, container } = await openContainer(first);
    let image: string;
    let token: string;
    try {
      const iterator = fromNow(container);
      await drain(iterator);
      await container.items.create({ id: 'c1', pk: 'a', n: 1 });
      await container.items.create({ id: 'c2', pk: 'a', n: 2 });
      await drain(iterator);
      token = (await iterator.readNext()).continuationToken;
      // Folded into a snapshot; what follows is only in the journal.
      await first.save();
      await container.items.upsert({ id: 'c1', pk: 'a', n: 10 });
      await container.items.create({ id: 'c3', pk: 'a', n: 3 });
      image = crashImage(dataDir);
    } finally {
      client.dispose();
      await first.stop();
    }
    const second = await startEmbeddedCosmos({ dataDir: image, saveIntervalMs: 0 });
    try {
      expect(second.recovery.journalRecords).toBeGreaterThanOrEqual(2);
      const reopened = await openContainer(second);
      const resumed = reopened.container.items.getChangeFeedIterator<Doc>({
        changeFeedStartFrom: ChangeFeedStartFrom.Continuation(token),
      });
      const seen = (await drain(resumed)).map((d) => [d.id, d.n]);
      expect(seen).toEqual([
        ['c1', 10],
        ['c3', 3],
      ]);
      reopened.client.dispose();
    } finally {
      await second.stop();
    }
  });
});
