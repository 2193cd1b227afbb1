import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, ItemDefinition, SqlParameter } from '@azure/cosmos';
import type { z } from 'zod/v4';
import { partitionKey } from './partition-keys';
import { AlreadyExistsError, ConcurrencyError, InvalidDocumentError, NotFoundError, cosmosStatus } from './errors';
import type { StoreChanges } from './changes';
import type { StoreStats } from './stats';

export type BaseDoc = { id: string; tenantId: string; type: string };

/** A document as read from the store: its etag is what a conditional write must match. */
export type Stored<T> = T & { _etag: string; _ts: number };

/** How one document type is stored: its container, discriminator, schema and partition scope. */
export type DocKind<T extends BaseDoc> = {
  type: T['type'];
  schema: z.ZodType<T>;
  /** Sub-partition inside the tenant; omitted = the tenant's own partition. */
  scopeOf?: (doc: T) => string;
  /**
   * Configuration and identity read on every message: point reads are answered from memory for up to
   * the cache's time to live. This process's own writes replace the entry at once; another instance's
   * writes are seen within the time to live.
   */
  cached?: boolean;
  /** Writes are announced to the store's change listeners (configuration routing reacts to). */
  announce?: boolean;
};

/** What every repository of one store shares: its counters and its change announcements. */
export type RepositoryContext = { stats: StoreStats; changes: StoreChanges };

/**
 * How long a cached document may be served (configuration: STORE_CACHE_SECONDS). It bounds how stale a
 * license, membership or access decision can be when another instance changed it; 0 turns caching off.
 */
export const storeCache = { ttlMs: 5_000, maxEntries: 20_000 };

type CacheEntry<T> = { doc: Stored<T>; until: number };

export type QuerySpec = {
  /** A condition over `c`, joined with AND to the tenant and type filters. */
  where?: string;
  parameters?: SqlParameter[];
  orderBy?: string;
  top?: number;
};

export type UpdateOptions<T = unknown> = {
  maxAttempts?: number;
  /** The document as the caller already read it: the first attempt uses it (and its etag) instead of a read. */
  current?: Stored<T>;
};

/** The mutation decides: a new document to write, or undefined to leave it as it is. */
export type Mutation<T> = (current: Stored<T>) => T | undefined | Promise<T | undefined>;

/**
 * Typed access to one document type. Every method takes the tenant id and builds the partition key from
 * it, so no caller can read or query another tenant's partition.
 */
export class Repository<T extends BaseDoc> {
  private readonly cache = new Map<string, CacheEntry<T>>();

  private readonly stats: StoreStats;
  private readonly changes: StoreChanges;

  constructor(
    private readonly container: Container,
    private readonly kind: DocKind<T>,
    context: RepositoryContext,
  ) {
    this.stats = context.stats;
    this.changes = context.changes;
  }

  get type(): string {
    return this.kind.type;
  }

  private pkOf(doc: T): string {
    return partitionKey(doc.tenantId, this.kind.scopeOf?.(doc));
  }

  private parse(raw: unknown, id: string): Stored<T> {
    const result = this.kind.schema.safeParse(raw);
    if (!result.success) {
      throw new InvalidDocumentError(
        this.kind.type,
        id,
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    }
    const meta = raw as { _etag: string; _ts: number };
    return { ...result.data, _etag: meta._etag, _ts: meta._ts };
  }

  /** Validates before writing: nothing half-formed ever reaches the store. */
  private toItem(doc: T): ItemDefinition {
    if (doc.type !== this.kind.type) throw new Error(`Repository of ${this.kind.type} cannot write a ${doc.type}`);
    const result = this.kind.schema.safeParse(doc);
    if (!result.success) {
      throw new InvalidDocumentError(
        this.kind.type,
        doc.id,
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    }
    return { ...result.data, pk: this.pkOf(result.data) };
  }

  async find(tenantId: string, id: string, scope?: string): Promise<Stored<T> | undefined> {
    const key = `${partitionKey(tenantId, scope)}|${id}`;
    const hit = this.kind.cached ? this.cache.get(key) : undefined;
    if (hit && hit.until > Date.now()) {
      this.stats.cacheHits++;
      // A copy: a caller that changes what it got must not change what the next caller gets.
      return structuredClone(hit.doc);
    }
    return this.readThrough(key, id, partitionKey(tenantId, scope));
  }

  private async readThrough(key: string, id: string, pk: string): Promise<Stored<T> | undefined> {
    this.stats.reads++;
    const { resource, statusCode } = await this.container.item(id, pk).read();
    if (statusCode === 404 || !resource) {
      this.cache.delete(key);
      return undefined;
    }
    // A document of another type with the same id is not ours to return.
    if ((resource as { type?: unknown }).type !== this.kind.type) return undefined;
    const doc = this.parse(resource, id);
    this.remember(doc);
    return doc;
  }

  /** Keeps what was just read or written (cached kinds only); the oldest entry goes when it is full. */
  private remember(doc: Stored<T>): Stored<T> {
    if (!this.kind.cached || storeCache.ttlMs <= 0) return doc;
    const key = `${this.pkOf(doc)}|${doc.id}`;
    this.cache.delete(key);
    if (this.cache.size >= storeCache.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { doc: structuredClone(doc), until: Date.now() + storeCache.ttlMs });
    return doc;
  }

  /** A write went through: cache it and announce it, with what it was before when that is known. */
  private written(doc: Stored<T>, before?: Stored<T>): Stored<T> {
    this.changes.wroteLocally(doc._etag);
    if (!this.kind.announce) return this.remember(doc);
    const previous = before ?? this.cache.get(`${this.pkOf(doc)}|${doc.id}`)?.doc;
    this.remember(doc);
    this.changes.emit({ doc, before: previous, origin: 'local' });
    return doc;
  }

  /**
   * A document of this type as another instance wrote it, from the change feed: parsed (undefined when
   * it does not match the schema), and a cached copy of an older version is dropped.
   */
  fromFeed(raw: { id: string; _etag: string }): Stored<T> | undefined {
    let doc: Stored<T>;
    try {
      doc = this.parse(raw, raw.id);
    } catch {
      return undefined;
    }
    if (this.kind.cached) {
      const key = `${this.pkOf(doc)}|${doc.id}`;
      if (this.cache.get(key)?.doc._etag !== doc._etag) this.cache.delete(key);
    }
    return doc;
  }

  private forget(tenantId: string, id: string, scope?: string): void {
    if (this.kind.cached) this.cache.delete(`${partitionKey(tenantId, scope)}|${id}`);
  }

  async get(tenantId: string, id: string, scope?: string): Promise<Stored<T>> {
    const doc = await this.find(tenantId, id, scope);
    if (!doc) throw new NotFoundError(this.kind.type, id);
    return doc;
  }

  async create(doc: T): Promise<Stored<T>> {
    this.stats.writes++;
    try {
      const { resource } = await this.container.items.create(this.toItem(doc));
      return this.written(this.parse(resource, doc.id));
    } catch (err) {
      if (cosmosStatus(err) === 409) throw new AlreadyExistsError(this.kind.type, doc.id);
      throw err;
    }
  }

  async upsert(doc: T): Promise<Stored<T>> {
    this.stats.writes++;
    const { resource } = await this.container.items.upsert(this.toItem(doc));
    return this.written(this.parse(resource, doc.id));
  }

  /**
   * Replaces the document only if nobody changed it since it was read (If-Match on `_etag`).
   * Returns undefined when the etag is stale, so the caller re-reads and decides again.
   */
  async replaceIfUnchanged(doc: T, etag: string, before?: Stored<T>): Promise<Stored<T> | undefined> {
    this.stats.writes++;
    const item = this.toItem(doc);
    try {
      const { resource } = await this.container
        .item(doc.id, item.pk as string)
        .replace(item, { accessCondition: { type: 'IfMatch', condition: etag } });
      return this.written(this.parse(resource, doc.id), before);
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 412) {
        this.stats.conflicts++;
        // Someone else wrote it (another instance): what is cached is older than that.
        this.forget(doc.tenantId, doc.id, this.kind.scopeOf?.(doc));
        return undefined;
      }
      if (status === 404) throw new NotFoundError(this.kind.type, doc.id);
      throw err;
    }
  }

  /**
   * Read-modify-write under optimistic concurrency: re-reads and re-applies the mutation on every 412,
   * with jittered backoff, up to `maxAttempts` times.
   */
  async update(
    tenantId: string,
    id: string,
    mutate: Mutation<T>,
    options: UpdateOptions<T> & { scope?: string } = {},
  ): Promise<Stored<T>> {
    const maxAttempts = options.maxAttempts ?? 8;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const current =
        attempt === 1 && options.current?.id === id ? options.current : await this.get(tenantId, id, options.scope);
      const next = await mutate(current);
      if (next === undefined) return current;
      if (next.id !== current.id || next.tenantId !== current.tenantId)
        throw new Error(`A mutation of ${this.kind.type} ${id} may not change its id or tenant`);
      const written = await this.replaceIfUnchanged(next, current._etag, current);
      if (written) return written;
      await sleep(Math.random() * Math.min(100, 5 * 2 ** attempt));
    }
    throw new ConcurrencyError(this.kind.type, id, maxAttempts);
  }

  /**
   * Adds to a numeric field in one atomic server-side operation (patch "incr"): no read, no retry,
   * and concurrent increments never collide. Returns the document after the increment.
   */
  async increment(tenantId: string, id: string, field: string, by = 1, scope?: string): Promise<Stored<T>> {
    const result = await this.incrementWhere(tenantId, id, field, by, { scope });
    if (!result) throw new Error(`an unconditional increment of ${this.kind.type} ${id} was refused`);
    return result;
  }

  /**
   * The increment, only while the document matches `where` (a condition over `c`, checked by the store
   * in the same operation): undefined when it does not, so nothing is read first.
   */
  async incrementWhere(
    tenantId: string,
    id: string,
    field: string,
    by: number,
    options: { scope?: string; where?: string },
  ): Promise<Stored<T> | undefined> {
    this.stats.writes++;
    const operations = [{ op: 'incr' as const, path: `/${field}`, value: by }];
    try {
      const { resource } = await this.container
        .item(id, partitionKey(tenantId, options.scope))
        .patch(options.where ? { condition: `FROM c WHERE ${options.where}`, operations } : operations);
      return this.written(this.parse(resource, id));
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 404) throw new NotFoundError(this.kind.type, id);
      if (status === 412 && options.where) return undefined;
      throw err;
    }
  }

  /** Deletes; with an etag, only if unchanged. Returns false when there was nothing to delete. */
  async delete(tenantId: string, id: string, options: { scope?: string; etag?: string } = {}): Promise<boolean> {
    this.stats.writes++;
    this.forget(tenantId, id, options.scope);
    try {
      await this.container
        .item(id, partitionKey(tenantId, options.scope))
        .delete(options.etag ? { accessCondition: { type: 'IfMatch', condition: options.etag } } : undefined);
      return true;
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 404) return false;
      if (status === 412) {
        this.stats.conflicts++;
        throw new ConcurrencyError(this.kind.type, id, 1);
      }
      throw err;
    }
  }

  /** Every document of this type in the tenant's partition, or in one scope of it. */
  all(tenantId: string, scope?: string): Promise<Stored<T>[]> {
    return this.query(tenantId, {}, scope);
  }

  /**
   * A query inside one partition of one tenant; the tenant and type filters are always applied. The
   * SQL belongs to the store: services call the named queries of repositories.ts built on this.
   */
  async query(tenantId: string, spec: QuerySpec = {}, scope?: string): Promise<Stored<T>[]> {
    this.stats.queries++;
    const top = spec.top === undefined ? '' : `TOP ${Math.max(1, Math.floor(spec.top))} `;
    const where = spec.where ? ` AND (${spec.where})` : '';
    const order = spec.orderBy ? ` ORDER BY ${spec.orderBy}` : '';
    const pk = partitionKey(tenantId, scope);
    // The partition filter is also in the SQL: Cosmos scopes by the partitionKey option alone, but the
    // embedded server ignores that option and evaluates queries over the whole container.
    const query = {
      query: `SELECT ${top}* FROM c WHERE c.pk = @__pk AND c.tenantId = @__tenantId AND c.type = @__type${where}${order}`,
      parameters: [
        { name: '@__pk', value: pk },
        { name: '@__tenantId', value: tenantId },
        { name: '@__type', value: this.kind.type },
        ...(spec.parameters ?? []),
      ],
    };
    const { resources } = await this.container.items.query(query, { partitionKey: pk }).fetchAll();
    return resources.map((r: { id: string }) => this.parse(r, r.id));
  }

  /** Documents of this type in every tenant: a cross-partition query, for operators' tools only. */
  protected async acrossTenants(spec: Pick<QuerySpec, 'orderBy'> = {}): Promise<Stored<T>[]> {
    this.stats.queries++;
    const order = spec.orderBy ? ` ORDER BY ${spec.orderBy}` : '';
    const query = {
      query: `SELECT * FROM c WHERE c.type = @__type${order}`,
      parameters: [{ name: '@__type', value: this.kind.type }],
    };
    const { resources } = await this.container.items.query(query).fetchAll();
    return resources.map((r: { id: string }) => this.parse(r, r.id));
  }
}
