import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Documents from '@vercel/cosmosdb-server/lib/account/documents';
import Items from '@vercel/cosmosdb-server/lib/account/items';
import { partitionOfRequest } from './embedded-query';

/**
 * The change feed of the embedded store, in the semantics of Cosmos DB's "latest version" mode.
 *
 * Every document write (create, replace, upsert, patch) takes the container's next log sequence number
 * (LSN). A container keeps a log of (LSN, document) in LSN order; a document written again leaves its
 * older entry behind as stale, so a feed read returns each changed document once, in its latest version,
 * at the place of its latest write. Deletions are not in the feed (as in latest-version mode).
 *
 * The SDK's pull-model iterator reads it as it reads Cosmos: `GET .../docs` with `A-IM: Incremental feed`
 * and `If-None-Match` holding the continuation (`*`: from now; absent: from the beginning;
 * `If-Modified-Since`: from a time). The answer is `{ Documents, _count }` with the next continuation in
 * `etag`, or 304 with the same when nothing changed. A read that finds nothing costs O(1); one that finds
 * something O(log n) to find its place in the log, plus the page.
 *
 * LSNs survive restarts: a snapshot keeps each document's LSN (`_lsn`) and each container's counter, and
 * the journal replayed after it writes on top with new, higher numbers, so a continuation taken before a
 * restart still means "after what I have seen" (a change may come again; never one is skipped).
 */

type StoredDoc = Record<string, unknown> & { _rid: string; _ts?: number };

type FeedState = {
  /** The last LSN handed out. */
  counter: number;
  /** Each live document's LSN. */
  lsnOf: Map<string, number>;
  /** The log, in LSN order (when `sorted`): entries whose LSN is no longer the document's are stale. */
  lsns: number[];
  rids: string[];
  stale: number;
  sorted: boolean;
};

type FeedItems = {
  _feed?: FeedState;
  _parent: { read(): unknown };
  _data: Map<string, { read(): StoredDoc }>;
  _getPartition(data: unknown): unknown;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): StoredDoc | undefined };
};

export type FeedStart =
  { from: 'now' } | { from: 'beginning' } | { from: 'lsn'; lsn: number } | { from: 'time'; ts: number };

type FeedRead = {
  start: FeedStart;
  maxItemCount: number;
  partition: { value: unknown } | undefined;
  /** Set by the read: the page and the continuation after it. */
  page?: { documents: StoredDoc[]; continuation: number };
};

type Context = { feed: EmbeddedFeed; key: string | undefined; internal: boolean; read?: FeedRead };

const context = new AsyncLocalStorage<Context>();

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const newState = (counter: number): FeedState => ({
  counter,
  lsnOf: new Map(),
  lsns: [],
  rids: [],
  stale: 0,
  sorted: true,
});

/** Index of the first log entry with an LSN above `lsn`. */
function firstAfter(lsns: readonly number[], lsn: number): number {
  let lo = 0;
  let hi = lsns.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lsns[mid]! <= lsn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compact(state: FeedState): void {
  const order = state.lsns.map((lsn, i) => [lsn, state.rids[i]!] as const);
  if (!state.sorted) order.sort((a, b) => a[0] - b[0]);
  const live = order.filter(([lsn, rid]) => state.lsnOf.get(rid) === lsn);
  state.lsns = live.map(([lsn]) => lsn);
  state.rids = live.map(([, rid]) => rid);
  state.stale = 0;
  state.sorted = true;
}

/** The documents after `start` (at most `max` of the partition, if one is named) and the continuation. */
function readPage(
  items: FeedItems,
  state: FeedState,
  read: FeedRead,
): { documents: StoredDoc[]; continuation: number } {
  if (!state.sorted || state.stale > Math.max(1024, state.lsnOf.size)) compact(state);
  const { start } = read;
  if (start.from === 'now') return { documents: [], continuation: state.counter };
  const after = start.from === 'lsn' ? start.lsn : 0;
  // Nothing written after the token: the common, idle case, without looking at the log.
  if (after >= state.counter) return { documents: [], continuation: Math.max(after, state.counter) };
  const documents: StoredDoc[] = [];
  for (let i = firstAfter(state.lsns, after); i < state.lsns.length; i++) {
    const lsn = state.lsns[i]!;
    const rid = state.rids[i]!;
    if (state.lsnOf.get(rid) !== lsn) continue;
    const doc = items._data.get(rid)?.read();
    if (!doc) continue;
    if (start.from === 'time' && (doc._ts ?? 0) < start.ts) continue;
    if (read.partition && items._getPartition(doc) !== read.partition.value) continue;
    documents.push({ ...doc, _lsn: lsn });
    if (documents.length >= read.maxItemCount) return { documents, continuation: lsn };
  }
  return { documents, continuation: state.counter };
}

let installed = false;

/** Hooks the feed's bookkeeping into the embedded server's documents (once per process). */
export function installFeed(): void {
  if (installed) return;
  installed = true;
  const base = Items.prototype as unknown as {
    _set(data: StoredDoc): unknown;
    delete(idOrRid: string, partition: unknown): void;
    read(options?: Record<string, unknown>): { result: StoredDoc[]; continuation?: unknown } | null;
    query(params: unknown, options: unknown): { result: StoredDoc[]; continuation?: unknown } | null;
  };
  const proto = Documents.prototype as unknown as typeof base;

  const stateOf = (items: FeedItems): FeedState => {
    const ctx = context.getStore();
    if (!items._feed) items._feed = newState(ctx?.key ? ctx.feed.floorOf(ctx.key) : 0);
    if (ctx?.key) ctx.feed.register(ctx.key, items._feed);
    return items._feed;
  };

  proto._set = function (this: FeedItems, data) {
    const given = data._lsn;
    // A system property: never stored as the client's data.
    delete data._lsn;
    // Through the prototype at call time, so the partition index of embedded-query.ts stays in the chain.
    const result = base._set.call(this, data);
    const state = stateOf(this);
    const restored = context.getStore()?.internal === true && typeof given === 'number' && Number.isInteger(given);
    const lsn = restored ? given : ++state.counter;
    if (restored) state.counter = Math.max(state.counter, lsn);
    state.lsnOf.set(data._rid, lsn);
    if (state.lsns.length > 0 && state.lsns[state.lsns.length - 1]! > lsn) state.sorted = false;
    state.lsns.push(lsn);
    state.rids.push(data._rid);
    return result;
  };

  proto.delete = function (this: FeedItems, idOrRid, partition) {
    const doc = this._item('/id', idOrRid, partition).read();
    base.delete.call(this, idOrRid, partition);
    if (doc && this._feed?.lsnOf.delete(doc._rid)) this._feed.stale++;
  };

  proto.read = function (this: FeedItems, options) {
    const ctx = context.getStore();
    if (ctx?.read) {
      // The container was deleted: the server answers 404.
      if (!this._parent.read()) return null;
      ctx.read.page = readPage(this, stateOf(this), ctx.read);
      return { result: ctx.read.page.documents };
    }
    return base.read.call(this, options);
  };

  // The store's own reads (snapshots, which read with a query) keep each document's LSN, so a restart
  // keeps the feed's positions.
  proto.query = function (this: FeedItems, params, options) {
    const result = base.query.call(this, params, options);
    const state = this._feed;
    if (result && state && context.getStore()?.internal) {
      result.result = result.result.map((doc) =>
        doc && typeof doc === 'object' && typeof doc._rid === 'string'
          ? { ...doc, _lsn: state.lsnOf.get(doc._rid) }
          : doc,
      );
    }
    return result;
  };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `"12"` or `12` → 12; undefined when it is not a continuation of this store. */
function parseLsn(value: string): number | undefined {
  const m = /^"?(\d{1,15})"?$/.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

/** The container a request addresses by name (`/dbs/:db/colls/:coll/...`), as `db/coll`. */
function containerKey(url: string): { key: string; rest: string[] } | undefined {
  const pathname = (url.split('?', 1)[0] ?? '').replace(/^\/\//, '/').replace(/\/+$/, '');
  try {
    const s = pathname.split('/').slice(1).map(decodeURIComponent);
    if (s[0] !== 'dbs' || s[2] !== 'colls' || s[1] === undefined || s[3] === undefined) return undefined;
    return { key: JSON.stringify([s[1], s[3]]), rest: s.slice(4) };
  } catch {
    return undefined;
  }
}

const refuse = (res: ServerResponse, message: string) => {
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code: 'BadRequest', message }));
};

/** One embedded server's feed: container counters by name, and the request handling around the server. */
export class EmbeddedFeed {
  private readonly states = new Map<string, FeedState>();
  private readonly floors = new Map<string, number>();

  /** The last LSN of a container (0 before its first write). */
  counter(db: string, coll: string): number {
    const key = JSON.stringify([db, coll]);
    return this.states.get(key)?.counter ?? this.floors.get(key) ?? 0;
  }

  /** Restore: the container's counter is at least `lsn`, whatever was written or deleted since. */
  raiseCounter(db: string, coll: string, lsn: number): void {
    const key = JSON.stringify([db, coll]);
    const state = this.states.get(key);
    if (state) state.counter = Math.max(state.counter, lsn);
    else this.floors.set(key, Math.max(lsn, this.floors.get(key) ?? 0));
  }

  /** @internal */
  floorOf(key: string): number {
    return this.floors.get(key) ?? 0;
  }

  /** @internal */
  register(key: string, state: FeedState): void {
    if (this.states.get(key) !== state) this.states.set(key, state);
  }

  /**
   * Runs the server's handler for a request. A change-feed read is answered from the log; every other
   * request runs with its container known, so its writes are logged under it.
   */
  handle(req: IncomingMessage, res: ServerResponse, internal: boolean, next: () => void): void {
    const target = containerKey(req.url ?? '/');
    const aim = header(req, 'a-im');
    if (!aim || req.method !== 'GET' || !target || target.rest.length !== 1 || target.rest[0] !== 'docs') {
      context.run({ feed: this, key: target?.key, internal }, next);
      return;
    }
    if (aim.toLowerCase() !== 'incremental feed') {
      refuse(
        res,
        `The embedded store's change feed supports only the latest-version mode (A-IM: Incremental feed), not "${aim}".`,
      );
      return;
    }
    const match = header(req, 'if-none-match');
    const since = header(req, 'if-modified-since');
    let start: FeedStart;
    if (match !== undefined && match.trim() === '*') start = { from: 'now' };
    else if (match !== undefined) {
      const lsn = parseLsn(match);
      if (lsn === undefined) {
        refuse(res, `"${match.slice(0, 40)}" is not a change-feed continuation of this store.`);
        return;
      }
      start = { from: 'lsn', lsn };
    } else if (since !== undefined) {
      const ms = Date.parse(since);
      if (Number.isNaN(ms)) {
        refuse(res, 'If-Modified-Since is not an HTTP date.');
        return;
      }
      start = { from: 'time', ts: Math.floor(ms / 1000) };
    } else start = { from: 'beginning' };
    const requested = Number.parseInt(header(req, 'x-ms-max-item-count') ?? '', 10);
    const read: FeedRead = {
      start,
      maxItemCount: requested > 0 ? Math.min(requested, MAX_PAGE) : DEFAULT_PAGE,
      partition: partitionOfRequest(req),
    };
    // The server below sees a plain read of the documents, which the hook above answers from the log.
    delete req.headers['a-im'];
    delete req.headers['if-none-match'];
    delete req.headers['if-modified-since'];
    delete req.headers['x-ms-continuation'];
    const end = res.end.bind(res) as (chunk?: string) => ServerResponse;
    res.end = ((chunk?: string) => {
      const page = read.page;
      if (!page || res.statusCode !== 200) return end(chunk);
      res.setHeader('etag', `"${page.continuation}"`);
      res.removeHeader('x-ms-continuation');
      if (page.documents.length === 0) {
        res.statusCode = 304;
        return end();
      }
      return end(chunk);
    }) as typeof res.end;
    context.run({ feed: this, key: target.key, internal, read }, next);
  }
}
