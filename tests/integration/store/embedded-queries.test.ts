import type { Container, SqlParameter } from '@azure/cosmos';
import makeQuery from '@zeit/cosmosdb-query';
import { createCosmosClient } from '../../../bot/src/store/cosmos';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../../bot/src/store/embedded';
import { linearCode, queryStats, stripUndefined } from '../../../bot/src/store/embedded-query';
import { openForAll } from '../../helpers/hooks';

let cosmos: EmbeddedCosmos;
let container: Container;
openForAll(async () => {
  cosmos = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
  const client = createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key });
  const { database } = await client.databases.createIfNotExists({ id: 'q' });
  ({ container } = await database.containers.createIfNotExists({ id: 'docs', partitionKey: { paths: ['/pk'] } }));
  // 20 partitions of 30 documents; `v` orders them, `tag` is absent on some.
  const writes = [];
  for (let i = 0; i < 600; i++)
    writes.push(
      container.items.create({
        id: `d${i}`,
        pk: `p${i % 20}`,
        v: (i * 7) % 600,
        ...(i % 3 ? { tag: `t${i % 5}` } : {}),
      }),
    );
  await Promise.all(writes);
  return [{ close: () => cosmos.stop() }];
});

const inPartition = (pk: string, sql: string, parameters: SqlParameter[] = []) =>
  container.items
    .query({ query: sql, parameters: [{ name: '@pk', value: pk }, ...parameters] }, { partitionKey: pk })
    .fetchAll()
    .then((r) => r.resources as Record<string, unknown>[]);

/** Runs `fn` and says how many documents the query engine evaluated meanwhile. */
async function evaluated<T>(fn: () => Promise<T>): Promise<{ result: T; documents: number }> {
  const before = queryStats.documentsEvaluated;
  const result = await fn();
  return { result, documents: queryStats.documentsEvaluated - before };
}

describe('queries of the embedded store', () => {
  it('read only the partition they name, with the same answers as over the whole container', async () => {
    const { result, documents } = await evaluated(() =>
      inPartition('p3', 'SELECT * FROM c WHERE c.pk = @pk ORDER BY c.v DESC'),
    );
    expect(documents).toBe(30);
    const ids = result.map((d) => d.id);
    const across = (
      await container.items
        .query({
          query: 'SELECT * FROM c WHERE c.pk = @pk ORDER BY c.v DESC',
          parameters: [{ name: '@pk', value: 'p3' }],
        })
        .fetchAll()
    ).resources.map((d: { id: string }) => d.id);
    expect(ids).toHaveLength(30);
    expect(ids).toEqual(across);

    const top = await inPartition('p3', 'SELECT TOP 2 * FROM c WHERE c.pk = @pk AND IS_DEFINED(c.tag) ORDER BY c.v');
    expect(top.map((d) => d.v)).toEqual(
      result
        .filter((d) => d.tag !== undefined)
        .map((d) => d.v)
        .reverse()
        .slice(0, 2),
    );
  });

  it('follow writes: a new document, a replaced one and a deleted one are where they belong', async () => {
    await container.items.create({ id: 'fresh', pk: 'p-new', v: 1 });
    expect((await inPartition('p-new', 'SELECT * FROM c WHERE c.pk = @pk')).map((d) => d.id)).toEqual(['fresh']);

    await container.item('d3', 'p3').replace({ id: 'd3', pk: 'p3', v: -1 });
    const [first] = await inPartition('p3', 'SELECT * FROM c WHERE c.pk = @pk ORDER BY c.v');
    expect(first).toMatchObject({ id: 'd3', v: -1 });
    expect(first).not.toHaveProperty('tag');

    await container.item('fresh', 'p-new').delete();
    const { result, documents } = await evaluated(() => inPartition('p-new', 'SELECT * FROM c WHERE c.pk = @pk'));
    expect([result, documents]).toEqual([[], 0]);
    expect(await inPartition('p3', 'SELECT VALUE COUNT(1) FROM c WHERE c.pk = @pk')).toEqual([30]);
  });

  it('check a conditional patch against its own partition only', async () => {
    const patch = (condition: string) =>
      container.item('d7', 'p7').patch({ condition, operations: [{ op: 'incr', path: '/v', value: 1 }] });
    const { result, documents } = await evaluated(() => patch('FROM c WHERE c.v >= 0'));
    expect(result.resource).toMatchObject({ id: 'd7', v: ((7 * 7) % 600) + 1 });
    expect(documents).toBe(30);
    await expect(patch('FROM c WHERE c.v < 0')).rejects.toMatchObject({ code: 412 });
  });

  it('answer the SDK’s query plan request without running the query', async () => {
    const { documents } = await evaluated(() => inPartition('p5', 'SELECT * FROM c WHERE c.pk = @pk'));
    // The plan request and the query are two requests; only the query reaches the engine. The plan request
    // names no partition: evaluated, it would have read all 600 documents.
    expect(documents).toBe(30);
  });
});

describe('the query engine’s linear steps', () => {
  const docs = Array.from({ length: 50 }, (_, i) => ({
    id: `d${i}`,
    _rid: `r${String(i).padStart(4, '0')}`,
    v: (i * 13) % 50,
    nested: { a: i % 2 ? undefined : i, list: [1, undefined, i] },
  }));
  const cases: [string, SqlParameter[]][] = [
    ['SELECT * FROM c', []],
    ['SELECT * FROM c WHERE c.v > @min ORDER BY c.v DESC', [{ name: '@min', value: 20 }]],
    ['SELECT TOP 3 c.id, c.nested FROM c ORDER BY c.v', []],
    ['SELECT VALUE COUNT(1) FROM c WHERE c.v < 10', []],
    ['SELECT c.id FROM c JOIN n IN c.nested.list WHERE n = 1', []],
  ];

  it.each(cases)('give what the original code gives: %s', (sql, parameters) => {
    const original = makeQuery(sql);
    const expected = JSON.stringify(original.exec(docs, { parameters }));
    const patched = makeQuery(sql) as ReturnType<typeof makeQuery> & { _code: string };
    patched._code = linearCode(patched.code);
    expect(JSON.stringify(patched.exec(docs, { parameters }))).toBe(expected);
  });

  it('rewrite the collection step of every FROM, and leave the steps of a join as they are', () => {
    expect(makeQuery('SELECT * FROM c').code).toContain('[...$');
    expect(linearCode(makeQuery('SELECT * FROM c').code)).not.toContain('[...$');
    const join = linearCode(makeQuery('SELECT c.id FROM c JOIN n IN c.nested.list').code);
    expect(join).toContain('$c.filter(');
    expect(join).toContain('[...$');
  });

  it('drop undefined values from arrays and objects, keeping everything else', () => {
    expect(stripUndefined([1, undefined, { a: undefined, b: [undefined, null, 'x'] }, 'y'])).toEqual([
      1,
      { b: [null, 'x'] },
      'y',
    ]);
  });
});
