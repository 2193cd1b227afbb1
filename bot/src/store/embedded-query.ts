import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import Items from '@vercel/cosmosdb-server/lib/account/items';
import type makeQuery from '@zeit/cosmosdb-query';
// The module's own exports object, which its generated code reads at each call: a namespace import can
// be a copy of it, and a replacement on a copy would change nothing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import helpers = require('@zeit/cosmosdb-query/lib/helpers');

/**
 * Queries of the embedded store, scoped and linear as Cosmos DB's are.
 *
 * @vercel/cosmosdb-server evaluates every query over the whole container (it never looks at the
 * request's partition key), and the code @zeit/cosmosdb-query generates for `FROM c` collects the
 * documents with `reduce(($, c) => [...$, { c }], [])`, which copies its accumulator once per document.
 * A query took 17 ms at 1,000 documents and 9.3 s at 32,000. Here each container keeps an index of its
 * documents by partition key value, a query that names its partition (every query of the product does)
 * reads only that partition, and the quadratic steps (collecting the documents, and copying the results
 * without their `undefined` values) are replaced by linear ones.
 */

/** The partition key value of the query being answered, set around the server's handler. */
const queryPartition = new AsyncLocalStorage<unknown>();

/**
 * The partition a request that runs a query names (`x-ms-documentdb-partitionkey: ["value"]`), if any:
 * a query, or a patch (the server checks a patch's condition with a query over the container).
 */
export function partitionOfQuery(req: IncomingMessage): { value: unknown } | undefined {
  const isQuery = String(req.headers['x-ms-documentdb-isquery']).toLowerCase() === 'true';
  if (!isQuery && req.method !== 'PATCH') return undefined;
  return partitionOfRequest(req);
}

/** The single partition key value a request names in `x-ms-documentdb-partitionkey`, if it names one. */
export function partitionOfRequest(req: IncomingMessage): { value: unknown } | undefined {
  const header = req.headers['x-ms-documentdb-partitionkey'];
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    // `[{}]` is what the SDK sends for "no partition key": not a partition.
    if (!Array.isArray(parsed) || parsed.length !== 1) return undefined;
    const [value] = parsed as unknown[];
    return value !== null && typeof value === 'object' ? undefined : { value };
  } catch {
    return undefined;
  }
}

/** Runs the server's handler for a request; a query that names its partition reads only that partition. */
export function handleScoped(req: IncomingMessage, handle: () => void): void {
  const partition = partitionOfQuery(req);
  if (partition) queryPartition.run(partition.value, handle);
  else handle();
}

/**
 * A query plan request: the SDK asks for one before every query, and uses it only when the server
 * refuses the query as needing a client-side pipeline, which the embedded server never does (it runs
 * ORDER BY, TOP and aggregates itself). The server would otherwise answer it by running the query over
 * the whole container; this plan says "one range, no pipeline" at no cost.
 */
export const isQueryPlanRequest = (req: IncomingMessage): boolean =>
  String(req.headers['x-ms-cosmos-is-query-plan-request']).toLowerCase() === 'true';

export const QUERY_PLAN = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: 'None',
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: '',
    hasSelectValue: false,
    dCountInfo: null,
    hasNonStreamingOrderBy: false,
  },
  queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
});

/** `$c.reduce(($, c) => typeof c !== "undefined" ? [...$, { c: c }] : $, [])`, as the generator prints it. */
const QUADRATIC_COLLECT =
  /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*\1: \1\s*\}\] : \$, \[\]\)/g;

/** The generated code with its collection step linear; unchanged when it has another shape (joins). */
export const linearCode = (code: string): string =>
  code.replace(
    QUADRATIC_COLLECT,
    (_, alias: string) => `$c.filter(($x) => typeof $x !== "undefined").map((${alias}) => ({ ${alias}: ${alias} }))`,
  );

/** The results without `undefined` (dropped from arrays and objects, as JSON does), in one pass. */
export function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (v !== undefined) out.push(stripUndefined(v));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
    return out;
  }
  return value;
}

type Query = ReturnType<typeof makeQuery> & { _code: string | null };
type Stored = { read(): Record<string, unknown> & { _rid: string } };
type ItemsInternals = {
  _data: Map<string, Stored>;
  _parent: { read(): unknown };
  _queryCache: { get(sql: string): Query | undefined; set(sql: string, q: Query): void };
  _getPartition(data: unknown): unknown;
  _item(
    keyPath: string,
    value: unknown,
    partition: unknown,
  ): { read(): (Record<string, unknown> & { _rid: string }) | undefined };
  /** Partition key value → the rids of its documents, in the order of `_data`. */
  _byPartition?: Map<unknown, Set<string>>;
};

/** What queries cost the engine in this process: how many ran, and how many documents they were evaluated over. */
export const queryStats = { queries: 0, documentsEvaluated: 0 };

let installed = false;

/** Installs the partition index and the linear query code into the embedded server (once per process). */
export function installScopedQueries(): void {
  if (installed) return;
  installed = true;
  // The generated code and `paginate` call it through the module's exports, so this replaces every use.
  Object.assign(helpers, { stripUndefined });
  const proto = Items.prototype as unknown as ItemsInternals & {
    _set(data: Record<string, unknown> & { _rid: string }): unknown;
    delete(idOrRid: string, partition: unknown): void;
    query(params: { query: string; parameters?: unknown }, options: Record<string, unknown>): unknown;
    read(options?: Record<string, unknown>): unknown;
    _getQuery(sql: string): Query;
  };
  const partitions = (self: ItemsInternals): Map<unknown, Set<string>> => (self._byPartition ??= new Map());

  const set = proto._set;
  proto._set = function (this: ItemsInternals, data) {
    const result = set.call(this, data);
    const key = this._getPartition(data);
    const rids = partitions(this).get(key) ?? new Set<string>();
    // A replace is a delete and a set: the document moves to the end, as it does in `_data`.
    rids.add(data._rid);
    partitions(this).set(key, rids);
    return result;
  };

  const remove = proto.delete;
  proto.delete = function (this: ItemsInternals, idOrRid, partition) {
    const data = this._item('/id', idOrRid, partition).read();
    remove.call(this, idOrRid, partition);
    if (!data) return;
    const key = this._getPartition(data);
    const rids = partitions(this).get(key);
    rids?.delete(data._rid);
    if (rids?.size === 0) partitions(this).delete(key);
  };

  const getQuery = proto._getQuery;
  proto._getQuery = function (this: ItemsInternals, sql) {
    const q = getQuery.call(this, sql);
    if (q._code === null) q._code = linearCode(q.code);
    return q;
  };

  const query = proto.query;
  proto.query = function (this: ItemsInternals, params, options) {
    const scope = queryPartition.getStore();
    if (scope === undefined || !this._parent.read()) {
      queryStats.queries++;
      queryStats.documentsEvaluated += this._data.size;
      return query.call(this, params, options);
    }
    const rids = partitions(this).get(scope) ?? new Set<string>();
    queryStats.queries++;
    queryStats.documentsEvaluated += rids.size;
    const data = this._data;
    // Only this partition's documents: the rest of the container is not read.
    const scoped = { values: () => [...rids].map((rid) => data.get(rid)!) } as unknown as Map<string, Stored>;
    this._data = scoped;
    try {
      return query.call(this, params, options);
    } finally {
      this._data = data;
    }
  };
}
