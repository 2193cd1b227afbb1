import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { PartitionKeyDefinition } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { z } from 'zod/v4';
import { createCosmosClient } from './cosmos';
import { authorizationRefusal, loadOrCreateKey, newMasterKey, unauthorizedBody } from './embedded-auth';

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_ts', '_attachments'] as const;

const Snapshot = z.object({
  format: z.literal('contact-center-cosmos-snapshot'),
  version: z.literal(1),
  savedAt: z.string(),
  databases: z.array(
    z.object({
      id: z.string(),
      containers: z.array(
        z.object({
          id: z.string(),
          partitionKey: z.object({ paths: z.array(z.string()).min(1), kind: z.string().optional(), version: z.number().optional() }),
          documents: z.array(z.record(z.string(), z.unknown())),
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
};

export type EmbeddedCosmos = {
  endpoint: string;
  /** The master key every request must be signed with: the data directory's, or a fresh one in memory. */
  key: string;
  /** `<dataDir>/cosmos-key`, where the key is kept (mode 0600); undefined in memory only. */
  keyFile: string | undefined;
  snapshotFile: string | undefined;
  /** Documents restored at start. */
  restoredDocuments: number;
  /** Saves now if anything changed since the last save. Returns whether it wrote. */
  save(): Promise<boolean>;
  /** Stops the timer, saves a last time, closes the server. */
  stop(): Promise<void>;
};

const isWrite = (req: IncomingMessage): boolean =>
  req.method !== 'GET' && req.method !== 'HEAD' && req.headers['x-ms-documentdb-isquery'] !== 'true' && req.headers['x-ms-cosmos-is-query-plan-request'] !== 'True';

/**
 * Starts @vercel/cosmosdb-server on loopback in this process. That server keeps nothing on disk, so the
 * data is restored from `<dataDir>/cosmos-snapshot.json` at start and saved back atomically (temp file +
 * rename) on an interval when something changed, and on stop. Every request must be signed with the
 * data directory's own key (`<dataDir>/cosmos-key`, see embedded-auth.ts); others get 401 and never reach
 * the server's handlers.
 */
export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const { key, file: keyFile } = options.dataDir ? await loadOrCreateKey(options.dataDir) : { key: newMasterKey(), file: undefined };
  const server: Server = createHttpServer({ keepAlive: true });
  // createHttpServer registers its handler as the one 'request' listener; it runs only after the check.
  const handlers = server.listeners('request') as RequestListener[];
  if (handlers.length !== 1) throw new Error(`@vercel/cosmosdb-server registered ${handlers.length} request listeners, expected 1`);
  const [handle] = handlers as [RequestListener];
  server.removeAllListeners('request');
  // Close idle sockets later than clients stop reusing them: otherwise a request sent on a socket the
  // server is closing at that moment fails with "socket hang up" (seen under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  let dirty = false;
  server.on('request', (req, res) => {
    const refusal = authorizationRefusal(key, req);
    if (refusal) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-ms-activity-id': randomUUID() });
      res.end(unauthorizedBody(refusal));
      return;
    }
    if (isWrite(req)) dirty = true;
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createCosmosClient({ endpoint, key });
  const snapshotFile = options.dataDir ? path.join(options.dataDir, 'cosmos-snapshot.json') : undefined;

  let restoredDocuments = 0;
  try {
    if (snapshotFile) restoredDocuments = await restore(client, snapshotFile);
  } catch (err) {
    server.close();
    throw err;
  }
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
        await writeSnapshot(snapshotFile, await takeSnapshot(client));
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
  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    key,
    keyFile,
    snapshotFile,
    restoredDocuments,
    save,
    stop: () =>
      (stopping ??= (async () => {
        if (timer) clearInterval(timer);
        try {
          await save();
        } finally {
          client.dispose();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      })()),
  };
}

async function takeSnapshot(client: ReturnType<typeof createCosmosClient>): Promise<Snapshot> {
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
            return { id: c.id, partitionKey: { paths, kind, version }, documents };
          }),
        ),
      };
    }),
  );
  return { format: 'contact-center-cosmos-snapshot', version: 1, savedAt: new Date().toISOString(), databases };
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
}

async function restore(client: ReturnType<typeof createCosmosClient>, file: string): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let parsed: ReturnType<typeof Snapshot.safeParse>;
  try {
    parsed = Snapshot.safeParse(JSON.parse(text));
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}). Move it away to start with an empty store.`);
  }
  if (!parsed.success) {
    throw new Error(`${file} is not a snapshot this version can read (${parsed.error.issues[0]?.message}). Move it away to start with an empty store.`);
  }
  let count = 0;
  for (const db of parsed.data.databases) {
    const { database } = await client.databases.createIfNotExists({ id: db.id });
    for (const c of db.containers) {
      const { container } = await database.containers.createIfNotExists({ id: c.id, partitionKey: c.partitionKey as PartitionKeyDefinition });
      // Bounded parallelism: the embedded server handles about a thousand writes a second.
      for (let i = 0; i < c.documents.length; i += 50) {
        await Promise.all(c.documents.slice(i, i + 50).map((doc) => container.items.create(doc)));
      }
      count += c.documents.length;
    }
  }
  return count;
}
