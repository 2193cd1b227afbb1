import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCosmosClient } from '../../../bot/src/store/cosmos';
import { startEmbeddedCosmos } from '../../../bot/src/store/embedded';
import { type JournalRecord, encodeRecord, journalFileName } from '../../../bot/src/store/journal';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cc-journal-'));

/** Runs the worker on `dir` and kills it with SIGKILL once it has acknowledged `acks` writes (more are in flight). */
function writeThenCrash(dir: string, acks: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=DEP0111', '--import', 'tsx', path.join(__dirname, 'journal-crash-worker.ts'), dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    let errors = '';
    child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, at)) as Record<string, unknown>);
        buffer = buffer.slice(at + 1);
      }
      if (lines.length >= acks) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`worker exited with ${code}: ${errors}`)),
    );
  });
}

describe('the embedded store after kill -9', () => {
  it('has every acknowledged write back, in its last acknowledged state, with working etags', async () => {
    const dir = tempDir();
    const acked = await writeThenCrash(dir, 1500);
    const last = new Map<string, unknown>();
    let counter = 0;
    for (const line of acked) {
      if (typeof line.id === 'string') last.set(line.id, line.v);
      if (typeof line.counter === 'number') counter = Math.max(counter, line.counter);
    }
    expect(last.size).toBeGreaterThan(100);

    const cosmos = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    try {
      expect(cosmos.recovery.journalRecords).toBeGreaterThan(1000);
      const container = createCosmosClient(cosmos).database('crash').container('docs');
      const { resources } = await container.items
        .query<{ id: string; v: string; n?: number }>('SELECT * FROM c')
        .fetchAll();
      const stored = new Map(resources.map((d) => [d.id, d]));
      // Each document goes created → replaced → upserted (→ deleted for every third): stored must be the
      // acknowledged state or a later one (a write in flight at the kill may have reached the disk too).
      const order = ['created', 'replaced', 'upserted', 'deleted'];
      const missing: string[] = [];
      for (const [id, v] of last) {
        const doc = stored.get(id);
        const state = doc ? doc.v : Number(id.slice(2)) % 3 === 0 ? 'deleted' : 'lost';
        if (order.indexOf(state) < order.indexOf(v as string))
          missing.push(`${id}: acknowledged ${String(v)}, stored ${state}`);
      }
      expect(missing).toEqual([]);
      // The counter is at least what was acknowledged: an increment is never lost, so a number is never handed out twice.
      expect(stored.get('counter')!.n).toBeGreaterThanOrEqual(counter);

      // Etags work on recovered documents: the current one replaces, an outdated one is refused.
      const some = [...last].find(([, v]) => v === 'upserted')![0];
      const read = await container.item(some, 'p').read();
      await container
        .item(some, 'p')
        .replace({ id: some, pk: 'p', v: 'after' }, { accessCondition: { type: 'IfMatch', condition: read.etag } });
      await expect(
        container
          .item(some, 'p')
          .replace({ id: some, pk: 'p', v: 'stale' }, { accessCondition: { type: 'IfMatch', condition: read.etag } }),
      ).rejects.toMatchObject({ code: 412 });
    } finally {
      await cosmos.stop();
    }
    // A clean stop folds everything into the snapshot.
    expect(readdirSync(dir).sort()).toEqual(['cosmos-key', 'cosmos-snapshot.json']);
  }, 60_000);

  it('drops a torn last record, and stops start-up on damage in the middle, leaving the files as they were', async () => {
    const dir = tempDir();
    const first = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    await first.stop();
    const snapshot = JSON.parse(readFileSync(path.join(dir, 'cosmos-snapshot.json'), 'utf8')) as { journal: number };
    const records: JournalRecord[] = [
      { op: 'create-db', db: 'torn' },
      { op: 'create-coll', db: 'torn', coll: 'docs', partitionKey: { paths: ['/pk'], kind: 'Hash' } },
      { op: 'put', db: 'torn', coll: 'docs', doc: { id: 'kept', pk: 'p' } },
    ];
    const journal = path.join(dir, journalFileName(snapshot.journal));
    const tornTail = encodeRecord({
      op: 'put',
      db: 'torn',
      coll: 'docs',
      doc: { id: 'never-acknowledged', pk: 'p' },
    }).subarray(0, 25);
    writeFileSync(journal, Buffer.concat([...records.map(encodeRecord), tornTail]));

    const second = await startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 });
    try {
      expect(second.recovery).toMatchObject({ journalRecords: 3, tornBytes: tornTail.length });
      const container = createCosmosClient(second).database('torn').container('docs');
      expect((await container.item('kept', 'p').read()).resource?.id).toBe('kept');
      expect((await container.item('never-acknowledged', 'p').read()).statusCode).toBe(404);
    } finally {
      await second.stop();
    }

    const after = JSON.parse(readFileSync(path.join(dir, 'cosmos-snapshot.json'), 'utf8')) as { journal: number };
    const damaged = Buffer.concat([
      encodeRecord({ op: 'put', db: 'torn', coll: 'docs', doc: { id: 'x', pk: 'p', text: 'original' } }),
      encodeRecord({ op: 'put', db: 'torn', coll: 'docs', doc: { id: 'y', pk: 'p' } }),
    ]);
    damaged[damaged.indexOf('original')] = 'O'.charCodeAt(0);
    const damagedFile = path.join(dir, journalFileName(after.journal));
    writeFileSync(damagedFile, damaged);
    const files = () =>
      Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
    const before = files();
    await expect(startEmbeddedCosmos({ dataDir: dir, saveIntervalMs: 0 })).rejects.toThrow(
      /is damaged at byte 0 \(checksum mismatch\)/,
    );
    expect(files()).toEqual(before);
  }, 60_000);
});
