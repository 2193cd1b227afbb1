import { randomUUID } from 'node:crypto';
import { lockDataDir } from './data-dir-lock';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { CosmosClient, type PartitionKey, type PartitionKeyDefinition } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { z } from 'zod/v4';
import { authorizationRefusal, loadOrCreateKey, newMasterKey, unauthorizedBody } from './embedded-auth';
import { EmbeddedFeed, installFeed } from './embedded-feed';
import { QUERY_PLAN, handleScoped, installScopedQueries, isQueryPlanRequest } from './embedded-query';
import { classifyRequest, recordOf } from './embedded-writes';
import {
  type JournalRecord,
  JournalWriter,
  decodeJournal,
  journalFileName,
  journalGenerations,
  syncDirectory,
} from './journal';

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_ts', '_attachments'] as const;

const Snapshot = z.object({
  format: z.literal('contact-center-cosmos-snapshot'),
  version: z.literal(1),
  savedAt: z.string(),
  /** The first journal generation this snapshot does not contain (absent: replay every journal). */
  journal: z.number().int().min(0).optional(),
  databases: z.array(
    z.object({
      id: z.string(),
      containers: z.array(
        z.object({
          id: z.string(),
          partitionKey: z.object({
            paths: z.array(z.string()).min(1),
            kind: z.string().optional(),
            version: z.number().optional(),
          }),
          documents: z.array(z.record(z.string(), z.unknown())),
          /** The container's last change-feed LSN (absent in snapshots of earlier versions). */
          lsn: z.number().int().min(0).optional(),
        }),
      ),
    }),
  ),
});
type Snapshot = z.infer<typeof Snapshot>;

export type EmbeddedCosmosOptions = {
  /** Where the snapshot lives; undefined keeps everything in memory only (tests). */
  dataDir: string | undefined;
  /** How often a changed store is saved; a crash loses at most this much. 0 disables the timer. */
  saveIntervalMs: number;
  /** Loopback port; 0 picks a free one. */
  port?: number;
  onSaveError?: (err: unknown) => void;
  /**
   * The write-ahead journal (with a data directory; default on): every write is on disk before it is
   * answered. Off, a crash loses what changed since the last snapshot (only for measuring its cost).
   */
  journal?: boolean;
  /** A journal generation this large is folded into a new snapshot (compaction) without waiting for the interval. */
  compactBytes?: number;
};

/**
 * The HTTP requests the embedded server received from clients, by kind, counted as they arrive (also
 * those refused): query plans, queries, writes, and reads (everything else: point reads, feeds, metadata).
 * `total` is their sum. `internal` counts, apart and outside `total`, the server's own requests
 * (restore, journal replay, snapshots), which a Cosmos account would not see.
 */
export type EmbeddedRequestCounts = {
  reads: number;
  writes: number;
  queries: number;
  queryPlans: number;
  total: number;
  internal: number;
};

/** What start-up found in the data directory. */
export type EmbeddedRecovery = { snapshotDocuments: number; journalRecords: number; tornBytes: number };

export type EmbeddedCosmos = {
  endpoint: string;
  /** The master key every request must be signed with: the data directory's, or a fresh one in memory. */
  key: string;
  /** `<dataDir>/cosmos-key`, where the key is kept (mode 0600); undefined in memory only. */
  keyFile: string | undefined;
  snapshotFile: string | undefined;
  /** Documents restored at start. */
  restoredDocuments: number;
  recovery: EmbeddedRecovery;
  /** Whether writes are journaled before they are answered. */
  journaled: boolean;
  /** Writes a new snapshot (folding the journal into it) if anything changed since the last one. Returns whether it wrote. */
  save(): Promise<boolean>;
  /** The HTTP requests received so far, by kind (a copy). */
  requests(): EmbeddedRequestCounts;
  /** Stops the timer, saves a last time, closes the server. */
  stop(): Promise<void>;
};

const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;

/** Marks the embedded server's own client (restore, replay, snapshots), so its requests are counted apart. */
const INTERNAL_USER_AGENT = 'contact-center-embedded-internal';

const isInternal = (req: IncomingMessage): boolean =>
  String(req.headers['x-ms-useragent'] ?? req.headers['user-agent'] ?? '').includes(INTERNAL_USER_AGENT);

const createCosmosClient = (endpoint: string, key: string): CosmosClient =>
  new CosmosClient({
    endpoint,
    key,
    connectionPolicy: { enableEndpointDiscovery: false },
    userAgentSuffix: INTERNAL_USER_AGENT,
  });

const cosmosError = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-ms-activity-id': randomUUID() });
  res.end(JSON.stringify({ code, message }));
};

/**
 * Starts @vercel/cosmosdb-server on loopback in this process. That server keeps everything in memory;
 * durability is ours. With a data directory, every write it accepts is appended to the journal
 * (journal.ts) and made durable before its answer leaves, so an acknowledged write survives `kill -9`.
 * Start-up loads `<dataDir>/cosmos-snapshot.json`, replays the journal after it and writes a new
 * snapshot; while running, the journal is folded into a new snapshot (atomic: temp file, rename) on the
 * interval or when it grows large, and on stop. Every request must be signed with the data directory's
 * own key (`<dataDir>/cosmos-key`, see embedded-auth.ts); others get 401 and never reach the server.
 */
export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  // One process per data directory: a second one would replay the same journal and overwrite its snapshot.
  let unlock: (() => Promise<void>) | undefined;
  if (options.dataDir) {
    await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    unlock = await lockDataDir(options.dataDir);
  }
  try {
    return await startLocked(options, unlock ?? (async () => undefined));
  } catch (err) {
    await unlock?.();
    throw err;
  }
}

async function startLocked(options: EmbeddedCosmosOptions, unlock: () => Promise<void>): Promise<EmbeddedCosmos> {
  const { key, file: keyFile } = options.dataDir
    ? await loadOrCreateKey(options.dataDir)
    : { key: newMasterKey(), file: undefined };
  installScopedQueries();
  installFeed();
  const feed = new EmbeddedFeed();
  const server: Server = createHttpServer({ keepAlive: true });
  // createHttpServer registers its handler as the one 'request' listener; it runs only after the check.
  const handlers = server.listeners('request') as RequestListener[];
  if (handlers.length !== 1)
    throw new Error(`@vercel/cosmosdb-server registered ${handlers.length} request listeners, expected 1`);
  const [handle] = handlers as [RequestListener];
  server.removeAllListeners('request');
  // Close idle sockets later than clients stop reusing them: otherwise a request sent on a socket the
  // server is closing at that moment fails with "socket hang up" (seen under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  let dirty = false;
  // Set once recovery is done: the writes of recovery itself are already on disk.
  let writer: JournalWriter | undefined;
  let journalFailure: unknown;
  const counts: EmbeddedRequestCounts = { reads: 0, writes: 0, queries: 0, queryPlans: 0, total: 0, internal: 0 };
  const count = (req: IncomingMessage) => {
    if (isInternal(req)) {
      counts.internal++;
      return;
    }
    counts.total++;
    if (isQueryPlanRequest(req)) counts.queryPlans++;
    else if (String(req.headers['x-ms-documentdb-isquery']).toLowerCase() === 'true') counts.queries++;
    else if (classifyRequest(req).kind === 'write') counts.writes++;
    else counts.reads++;
  };
  server.on('request', (req, res) => {
    count(req);
    const refusal = authorizationRefusal(key, req);
    if (refusal) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-ms-activity-id': randomUUID() });
      res.end(unauthorizedBody(refusal));
      return;
    }
    if (isQueryPlanRequest(req)) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-ms-activity-id': randomUUID() });
      res.end(QUERY_PLAN);
      return;
    }
    const write = classifyRequest(req);
    if (write.kind === 'unsupported') {
      cosmosError(res, 400, 'BadRequest', `The embedded store does not support ${write.what}.`);
      return;
    }
    if (write.kind === 'write') {
      if (journalFailure) {
        cosmosError(
          res,
          503,
          'ServiceUnavailable',
          'The embedded store cannot write its journal; it takes no writes until it is restarted.',
        );
        return;
      }
      dirty = true;
      if (writer) holdAnswerUntilJournaled(req, res, write.target);
    }
    feed.handle(req, res, isInternal(req), () => handleScoped(req, () => handle(req, res)));
  });

  /** The server's answer to a write leaves only once the write's journal record is on disk. */
  function holdAnswerUntilJournaled(
    req: IncomingMessage,
    res: ServerResponse,
    target: Parameters<typeof recordOf>[0],
  ): void {
    const end = res.end.bind(res) as (chunk?: string | Buffer) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      const record = res.statusCode >= 200 && res.statusCode < 300 ? recordOf(target, req, body) : undefined;
      if (!record || !writer) return end(body);
      writer.append(record).then(
        () => end(body),
        (err: unknown) => {
          journalFailure ??= err;
          options.onSaveError?.(err);
          // Not acknowledged: the caller must not take it as stored.
          res.statusCode = 503;
          end(JSON.stringify({ code: 'ServiceUnavailable', message: 'The write could not be made durable.' }));
        },
      );
      return res;
    }) as typeof res.end;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createCosmosClient(endpoint, key);
  const snapshotFile = options.dataDir ? path.join(options.dataDir, 'cosmos-snapshot.json') : undefined;

  const journaling = Boolean(options.dataDir) && options.journal !== false;
  const recovery: EmbeddedRecovery = { snapshotDocuments: 0, journalRecords: 0, tornBytes: 0 };
  let generation = 0;
  try {
    if (snapshotFile && options.dataDir) {
      const restored = await restore(client, feed, snapshotFile);
      recovery.snapshotDocuments = restored.documents;
      const replayed = await replayJournals(client, options.dataDir, restored.journal);
      recovery.journalRecords = replayed.records;
      recovery.tornBytes = replayed.tornBytes;
      generation = replayed.next;
      // A fresh generation, and a snapshot holding everything before it: the older files can go. (Also
      // without journaling, so old files are never replayed over a newer snapshot.)
      if (journaling) writer = await JournalWriter.open(options.dataDir, generation);
      if (journaling || replayed.records > 0 || replayed.files > 0) {
        await writeSnapshot(snapshotFile, await takeSnapshot(client, feed, generation));
        await removeJournalsBefore(options.dataDir, generation);
      }
    }
  } catch (err) {
    await writer?.close().catch(() => undefined);
    client.dispose();
    server.close();
    throw err;
  }
  const restoredDocuments = recovery.snapshotDocuments;
  dirty = false;

  let saving: Promise<boolean> | undefined;
  const save = async (): Promise<boolean> => {
    if (!snapshotFile) return false;
    // One save at a time; a change during a save marks the store dirty again for the next one.
    while (saving) await saving.catch(() => undefined);
    if (!dirty) return false;
    dirty = false;
    saving = (async () => {
      try {
        // Writes from here on go to the next generation, which replays on top of this snapshot.
        const from = writer ? await writer.rotate() : generation;
        await writeSnapshot(snapshotFile, await takeSnapshot(client, feed, from));
        if (options.dataDir) await removeJournalsBefore(options.dataDir, from);
        return true;
      } catch (err) {
        dirty = true;
        throw err;
      }
    })();
    try {
      return await saving;
    } finally {
      saving = undefined;
    }
  };

  const timer =
    snapshotFile && options.saveIntervalMs > 0
      ? setInterval(() => {
          save().catch((err) => options.onSaveError?.(err));
        }, options.saveIntervalMs)
      : undefined;
  timer?.unref();
  // A large journal is folded in early, so start-up never replays more than about this much.
  const compactBytes = options.compactBytes ?? DEFAULT_COMPACT_BYTES;
  const compactCheck = writer
    ? setInterval(() => {
        if (writer && writer.size > compactBytes && !saving) save().catch((err) => options.onSaveError?.(err));
      }, 200)
    : undefined;
  compactCheck?.unref();
  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    key,
    keyFile,
    snapshotFile,
    restoredDocuments,
    recovery,
    journaled: writer !== undefined,
    save,
    requests: () => ({ ...counts }),
    stop: () =>
      (stopping ??= (async () => {
        if (timer) clearInterval(timer);
        if (compactCheck) clearInterval(compactCheck);
        try {
          await writer?.drain();
          await save();
          await writer?.close();
          // Everything is in the snapshot: a clean stop leaves no journal behind.
          if (writer && writer.size === 0 && options.dataDir)
            await fs.unlink(path.join(options.dataDir, journalFileName(writer.generation))).catch(() => undefined);
        } finally {
          client.dispose();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await unlock();
        }
      })()),
  };
}

async function takeSnapshot(client: CosmosClient, feed: EmbeddedFeed, journal?: number): Promise<Snapshot> {
  const { resources: dbs } = await client.databases.readAll().fetchAll();
  const databases = await Promise.all(
    dbs.map(async (db) => {
      const { resources: containers } = await client.database(db.id).containers.readAll().fetchAll();
      return {
        id: db.id,
        containers: await Promise.all(
          containers.map(async (c) => {
            const { resources } = await client.database(db.id).container(c.id).items.readAll().fetchAll();
            const documents = resources.map((doc) => {
              const copy: Record<string, unknown> = { ...doc };
              for (const p of SYSTEM_PROPERTIES) delete copy[p];
              return copy;
            });
            const { paths = ['/pk'], kind, version } = c.partitionKey ?? {};
            // Read after the documents: at least the LSN of every one of them.
            const lsn = feed.counter(db.id, c.id);
            return { id: c.id, partitionKey: { paths, kind, version }, documents, lsn };
          }),
        ),
      };
    }),
  );
  return {
    format: 'contact-center-cosmos-snapshot',
    version: 1,
    savedAt: new Date().toISOString(),
    ...(journal === undefined ? {} : { journal }),
    databases,
  };
}

async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  // The snapshot holds every tenant's data and the signing secrets: readable by this user only.
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  await syncDirectory(path.dirname(file));
}

async function restore(
  client: CosmosClient,
  feed: EmbeddedFeed,
  file: string,
): Promise<{ documents: number; journal: number }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { documents: 0, journal: 0 };
    throw err;
  }
  let parsed: ReturnType<typeof Snapshot.safeParse>;
  try {
    parsed = Snapshot.safeParse(JSON.parse(text));
  } catch (err) {
    throw new Error(
      `${file} is not valid JSON (${(err as Error).message}). Move it away to start with an empty store.`,
    );
  }
  if (!parsed.success) {
    throw new Error(
      `${file} is not a snapshot this version can read (${parsed.error.issues[0]?.message}). Move it away to start with an empty store.`,
    );
  }
  let count = 0;
  for (const db of parsed.data.databases) {
    const { database } = await client.databases.createIfNotExists({ id: db.id });
    for (const c of db.containers) {
      const { container } = await database.containers.createIfNotExists({
        id: c.id,
        partitionKey: c.partitionKey as PartitionKeyDefinition,
      });
      // Bounded parallelism: the embedded server handles about a thousand writes a second.
      for (let i = 0; i < c.documents.length; i += 50) {
        await Promise.all(c.documents.slice(i, i + 50).map((doc) => container.items.create(doc)));
      }
      // The documents kept their LSNs (`_lsn`); the counter also covers what was deleted since.
      feed.raiseCounter(db.id, c.id, c.lsn ?? 0);
      count += c.documents.length;
    }
  }
  return { documents: count, journal: parsed.data.journal ?? 0 };
}

/**
 * Replays the journal generations from `from` on, oldest first, and says which generation comes next.
 * Only the newest file may end torn (a crash mid-append); other damage throws before anything is removed.
 */
async function replayJournals(
  client: CosmosClient,
  dir: string,
  from: number,
): Promise<{ records: number; files: number; tornBytes: number; next: number }> {
  const all = await journalGenerations(dir);
  const generations = all.filter((g) => g >= from);
  // Read and check every file before the first record is applied.
  const decoded = await Promise.all(
    generations.map(async (g, i) => {
      const file = path.join(dir, journalFileName(g));
      return decodeJournal(file, await fs.readFile(file), i === generations.length - 1);
    }),
  );
  let records = 0;
  for (const { records: list } of decoded) {
    await applyRecords(client, list);
    records += list.length;
  }
  return {
    records,
    files: all.length,
    tornBytes: decoded.reduce((n, d) => n + d.tornBytes, 0),
    next: Math.max(from, ...all) + 1,
  };
}

async function removeJournalsBefore(dir: string, generation: number): Promise<void> {
  for (const g of await journalGenerations(dir))
    if (g < generation) await fs.unlink(path.join(dir, journalFileName(g)));
}

const ignoreNotFound = (err: unknown) => {
  if ((err as { code?: unknown }).code !== 404) throw err;
};

/**
 * Applies records in order. Records of different documents go in parallel (bounded); a second record of
 * a document in the same group, or any database or container change, waits for what came before it.
 */
async function applyRecords(client: CosmosClient, records: readonly JournalRecord[]): Promise<void> {
  let group: JournalRecord[] = [];
  const keys = new Set<string>();
  const flush = async () => {
    await Promise.all(group.map((r) => applyRecord(client, r)));
    group = [];
    keys.clear();
  };
  for (const record of records) {
    if (record.op !== 'put' && record.op !== 'delete') {
      await flush();
      await applyRecord(client, record);
      continue;
    }
    const key = JSON.stringify([record.db, record.coll, record.op === 'put' ? record.doc.id : record.id]);
    if (keys.has(key) || group.length >= 50) await flush();
    group.push(record);
    keys.add(key);
  }
  await flush();
}

async function applyRecord(client: CosmosClient, record: JournalRecord): Promise<void> {
  switch (record.op) {
    case 'put':
      await client.database(record.db).container(record.coll).items.upsert(record.doc);
      return;
    case 'delete': {
      const pk = record.pk.length === 1 ? record.pk[0] : record.pk.length === 0 ? undefined : record.pk;
      await client
        .database(record.db)
        .container(record.coll)
        .item(record.id, pk as PartitionKey)
        .delete()
        .catch(ignoreNotFound);
      return;
    }
    case 'create-db':
      await client.databases.createIfNotExists({ id: record.db });
      return;
    case 'delete-db':
      await client.database(record.db).delete().catch(ignoreNotFound);
      return;
    case 'create-coll':
      await client.database(record.db).containers.createIfNotExists({
        id: record.coll,
        partitionKey: record.partitionKey as unknown as PartitionKeyDefinition,
      });
      return;
    case 'delete-coll':
      await client.database(record.db).container(record.coll).delete().catch(ignoreNotFound);
      return;
  }
}
