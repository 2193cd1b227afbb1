import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Container, CosmosClient } from '@azure/cosmos';
import { masterKeyAuthorization, masterKeySignature } from '../../../bot/src/store/embedded-auth';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../../bot/src/store/embedded';

/** The Cosmos DB emulator's published key, which the embedded server used to be reached with. */
const WELL_KNOWN_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';
const DB = 'authdb';
const COLL = 'items';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cc-auth-'));
const clients: CosmosClient[] = [];
const clientFor = (endpoint: string, key: string): CosmosClient => {
  const client = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
  clients.push(client);
  return client;
};
const containerOf = (client: CosmosClient): Container => client.database(DB).container(COLL);

/** A request signed with `key` (or not at all) for `date`, as the SDK would sign it. */
function signedFetch(
  cosmos: EmbeddedCosmos,
  method: string,
  urlPath: string,
  opts: { key?: string; date?: Date; type: string; link: string; body?: unknown; headers?: Record<string, string> },
) {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const date = (opts.date ?? new Date()).toUTCString();
  headers['x-ms-date'] = date;
  if (opts.key)
    headers.authorization = masterKeyAuthorization(masterKeySignature(opts.key, method, opts.type, opts.link, date));
  return fetch(`${cosmos.endpoint}${urlPath}`, {
    method,
    headers: opts.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}

let cosmos: EmbeddedCosmos;
let right: Container;
beforeAll(async () => {
  cosmos = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
  const client = clientFor(cosmos.endpoint, cosmos.key);
  const { database } = await client.databases.createIfNotExists({ id: DB });
  ({ container: right } = await database.containers.createIfNotExists({ id: COLL, partitionKey: { paths: ['/pk'] } }));
});
afterAll(async () => {
  clients.forEach((c) => c.dispose());
  await cosmos.stop();
});

describe('the embedded Cosmos server refuses requests not signed with its key', () => {
  it('answers 401 in Cosmos error shape to a request without authorization, on reads and writes alike', async () => {
    for (const [method, urlPath] of [
      ['GET', '/'],
      ['GET', `/dbs/${DB}`],
      ['GET', `/dbs/${DB}/colls/${COLL}/docs`],
    ] as const) {
      const res = await fetch(`${cosmos.endpoint}${urlPath}`, {
        method,
        headers: { 'x-ms-date': new Date().toUTCString() },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ code: 'Unauthorized', message: expect.stringContaining('authorization') });
    }
    const created = await fetch(`${cosmos.endpoint}/dbs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ms-date': new Date().toUTCString() },
      body: JSON.stringify({ id: 'sneaky' }),
    });
    expect(created.status).toBe(401);
    const { resources: dbs } = await clientFor(cosmos.endpoint, cosmos.key).databases.readAll().fetchAll();
    expect(dbs.map((d) => d.id)).toEqual([DB]);
  });

  it('answers 401 to a malformed authorization header', async () => {
    for (const authorization of [
      'garbage',
      'type%3Dmaster%26ver%3D1.0',
      'type%3Dresource%26ver%3D1.0%26sig%3DAAAA',
      '%E0%A4%A',
      masterKeyAuthorization('not base64!'),
    ]) {
      const res = await fetch(`${cosmos.endpoint}/dbs/${DB}`, {
        headers: { authorization, 'x-ms-date': new Date().toUTCString() },
      });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('Unauthorized');
    }
  });

  it('refuses a client with the wrong key (the emulator key): it can neither read nor write, and its write leaves nothing', async () => {
    await right.items.create({ id: 'existing', pk: 'p', note: 'there' });
    const wrong = containerOf(clientFor(cosmos.endpoint, WELL_KNOWN_KEY));
    await expect(wrong.item('existing', 'p').read()).rejects.toMatchObject({ code: 401 });
    await expect(wrong.items.query('SELECT * FROM c').fetchAll()).rejects.toMatchObject({ code: 401 });
    await expect(wrong.items.create({ id: 'intruder', pk: 'p' })).rejects.toMatchObject({ code: 401 });
    await expect(wrong.items.upsert({ id: 'existing', pk: 'p', note: 'overwritten' })).rejects.toMatchObject({
      code: 401,
    });
    await expect(wrong.item('existing', 'p').delete()).rejects.toMatchObject({ code: 401 });

    expect((await right.item('intruder', 'p').read()).statusCode).toBe(404);
    expect((await right.item('existing', 'p').read()).resource?.note).toBe('there');
    // Another server's key is as wrong as the well-known one.
    const other = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
    try {
      expect(other.key).not.toBe(cosmos.key);
      await expect(
        containerOf(clientFor(cosmos.endpoint, other.key)).item('existing', 'p').read(),
      ).rejects.toMatchObject({ code: 401 });
    } finally {
      await other.stop();
    }
  });

  it('refuses a correctly signed request whose x-ms-date is 20 minutes off, and accepts it signed now', async () => {
    const opts = { key: cosmos.key, type: 'dbs', link: `dbs/${DB}` };
    const old = await signedFetch(cosmos, 'GET', `/dbs/${DB}`, { ...opts, date: new Date(Date.now() - 20 * 60_000) });
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual({ code: 'Unauthorized', message: expect.stringContaining('15 minutes') });
    const future = await signedFetch(cosmos, 'GET', `/dbs/${DB}`, {
      ...opts,
      date: new Date(Date.now() + 20 * 60_000),
    });
    expect(future.status).toBe(401);
    const now = await signedFetch(cosmos, 'GET', `/dbs/${DB}`, opts);
    expect(now.status).toBe(200);
    expect((await now.json()).id).toBe(DB);
    // Signed for another resource, or without any date: refused.
    expect((await signedFetch(cosmos, 'GET', `/dbs/${DB}`, { ...opts, link: 'dbs/other' })).status).toBe(401);
    const signedDate = new Date().toUTCString();
    const noDate = await fetch(`${cosmos.endpoint}/dbs/${DB}`, {
      headers: {
        authorization: masterKeyAuthorization(masterKeySignature(cosmos.key, 'GET', 'dbs', `dbs/${DB}`, signedDate)),
      },
    });
    expect(noDate.status).toBe(401);
    expect((await noDate.json()).message).toContain('x-ms-date');
  });

  it('serves the right key: create, read, replace with If-Match, upsert, patch, query and delete', async () => {
    // An id with a space and a non-ASCII letter: the path is encoded, the signed link is not.
    const id = 'doc ü 1';
    const created = await right.items.create({ id, pk: 'q', n: 1 });
    expect(created.statusCode).toBe(201);
    const read = await right.item(id, 'q').read();
    expect(read.resource).toMatchObject({ id, n: 1 });

    const replaced = await right
      .item(id, 'q')
      .replace({ id, pk: 'q', n: 2 }, { accessCondition: { type: 'IfMatch', condition: read.etag } });
    expect(replaced.resource?.n).toBe(2);
    // A stale etag still conflicts: the check sits in front of the server's own semantics.
    await expect(
      right
        .item(id, 'q')
        .replace({ id, pk: 'q', n: 3 }, { accessCondition: { type: 'IfMatch', condition: read.etag } }),
    ).rejects.toMatchObject({ code: 412 });

    await right.items.upsert({ id: 'upserted', pk: 'q', n: 10 });
    const patched = await right.item(id, 'q').patch([{ op: 'set', path: '/n', value: 4 }]);
    expect(patched.resource?.n).toBe(4);

    // Cross-partition and single-partition queries (query plan and partition key ranges are signed too).
    const { resources: all } = await right.items
      .query<{ id: string }>('SELECT c.id FROM c WHERE c.pk = "q"')
      .fetchAll();
    expect(all.map((d) => d.id).sort()).toEqual([id, 'upserted']);
    const { resources: inPartition } = await right.items
      .query<{ n: number }>(
        { query: 'SELECT * FROM c WHERE c.n > @n', parameters: [{ name: '@n', value: 3 }] },
        { partitionKey: 'q' },
      )
      .fetchAll();
    expect(inPartition.map((d) => d.n).sort((x, y) => x - y)).toEqual([4, 10]);

    // Signed correctly, but not something the embedded store journals: refused by name, not lost later.
    await expect(
      right.items.batch([{ operationType: 'Create', resourceBody: { id: 'batched', pk: 'q' } }], 'q'),
    ).rejects.toThrow('does not support transactional batches');

    expect((await right.item(id, 'q').delete()).statusCode).toBe(204);
    expect((await right.item(id, 'q').read()).statusCode).toBe(404);
    // Account, database and container reads: what createIfNotExists and the snapshot use.
    const client = clientFor(cosmos.endpoint, cosmos.key);
    expect((await client.getDatabaseAccount()).statusCode).toBe(200);
    expect((await client.database(DB).containers.readAll().fetchAll()).resources.map((c) => c.id)).toEqual([COLL]);
    expect((await client.database(DB).container(COLL).read()).resource?.id).toBe(COLL);
  });
});

describe('the key of a data directory', () => {
  it('is generated into <dataDir>/cosmos-key with mode 0600 and kept across restarts', async () => {
    const dir = tempDir();
    const first = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    const file = path.join(dir, 'cosmos-key');
    let key: string;
    try {
      expect(first.keyFile).toBe(file);
      key = readFileSync(file, 'utf8').trim();
      expect(key).toBe(first.key);
      expect(Buffer.from(key, 'base64')).toHaveLength(64);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      const { database } = await clientFor(first.endpoint, first.key).databases.createIfNotExists({ id: DB });
      const { container } = await database.containers.createIfNotExists({ id: COLL, partitionKey: { paths: ['/pk'] } });
      await container.items.create({ id: 'kept', pk: 'p' });
    } finally {
      await first.stop();
    }
    // The snapshot holds the same data and secrets: readable by this user only.
    if (process.platform !== 'win32') expect(statSync(path.join(dir, 'cosmos-snapshot.json')).mode & 0o777).toBe(0o600);

    const second = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    try {
      expect(second.key).toBe(key);
      expect(readFileSync(file, 'utf8').trim()).toBe(key);
      expect((await containerOf(clientFor(second.endpoint, key)).item('kept', 'p').read()).resource?.id).toBe('kept');
    } finally {
      await second.stop();
    }
  });

  it('differs between data directories, and one directory key does not open the other', async () => {
    const a = await startEmbeddedCosmos({ dataDir: tempDir(), saveIntervalMs: 0 });
    const b = await startEmbeddedCosmos({ dataDir: tempDir(), saveIntervalMs: 0 });
    try {
      expect(a.key).not.toBe(b.key);
      await expect(clientFor(a.endpoint, b.key).getDatabaseAccount()).rejects.toMatchObject({ code: 401 });
      expect((await clientFor(a.endpoint, a.key).getDatabaseAccount()).statusCode).toBe(200);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('uses a key file that is already there, and refuses to start on one that holds no key, leaving it untouched', async () => {
    const dir = tempDir();
    const own = Buffer.alloc(48, 7).toString('base64');
    writeFileSync(path.join(dir, 'cosmos-key'), `${own}\n`, { mode: 0o600 });
    const server = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    try {
      expect(server.key).toBe(own);
    } finally {
      await server.stop();
    }

    const bad = tempDir();
    writeFileSync(path.join(bad, 'cosmos-key'), 'short', { mode: 0o600 });
    await expect(startEmbeddedCosmos({ dataDir: bad, saveIntervalMs: 0 })).rejects.toThrow(
      'does not hold a base64 key',
    );
    expect(readFileSync(path.join(bad, 'cosmos-key'), 'utf8')).toBe('short');
  });

  it('does not count a refused write as a change to save', async () => {
    const server = await startEmbeddedCosmos({ dataDir: tempDir(), saveIntervalMs: 0 });
    try {
      const res = await fetch(`${server.endpoint}/dbs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ms-date': new Date().toUTCString() },
        body: JSON.stringify({ id: 'x' }),
      });
      expect(res.status).toBe(401);
      expect(await server.save()).toBe(false);
      await clientFor(server.endpoint, server.key).databases.createIfNotExists({ id: 'x' });
      expect(await server.save()).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
