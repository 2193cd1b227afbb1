import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v4';

/**
 * The embedded store's write-ahead journal: one file per generation, `journal-<n>.log` in the data
 * directory, appended to in order. Every line is one record:
 *
 *     <byte length of JSON> <CRC-32 of JSON, 8 hex digits> <JSON>\n
 *
 * and the JSON is one of the records below: the state a write left behind (a document as stored, a
 * deletion, a database or container created or dropped), so replaying a record twice, or on top of a
 * snapshot that already holds it, ends in the same state. A snapshot names the first generation it
 * does not contain; start-up replays that generation and the later ones, in order.
 *
 * A crash in the middle of an append leaves at most the last line of the newest file torn (short, or
 * without its newline): that line was never acknowledged and is dropped. Any other damage stops
 * start-up: the files are left as they are for someone to look at.
 */
export const JournalRecord = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), db: z.string(), coll: z.string(), doc: z.record(z.string(), z.unknown()) }),
  /** `pk`: the partition key as the request sent it (`x-ms-documentdb-partitionkey`, a JSON array). */
  z.object({ op: z.literal('delete'), db: z.string(), coll: z.string(), id: z.string(), pk: z.array(z.unknown()) }),
  z.object({ op: z.literal('create-db'), db: z.string() }),
  z.object({ op: z.literal('delete-db'), db: z.string() }),
  z.object({
    op: z.literal('create-coll'),
    db: z.string(),
    coll: z.string(),
    partitionKey: z.record(z.string(), z.unknown()),
  }),
  z.object({ op: z.literal('delete-coll'), db: z.string(), coll: z.string() }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;

const FILE = /^journal-(\d{6,})\.log$/;
export const journalFileName = (generation: number): string => `journal-${String(generation).padStart(6, '0')}.log`;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as zip and gzip compute it. */
export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeRecord(record: JournalRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  return Buffer.concat([
    Buffer.from(`${json.length} ${crc32(json).toString(16).padStart(8, '0')} `),
    json,
    Buffer.from('\n'),
  ]);
}

export class JournalCorruptError extends Error {
  constructor(file: string, offset: number, why: string) {
    super(
      `${file} is damaged at byte ${offset} (${why}). The data directory was left as it is; move the journal away to start from the last snapshot only.`,
    );
    this.name = 'JournalCorruptError';
  }
}

/** The record on the line at `offset`, or why it is not one. */
function readLine(data: Buffer, offset: number): { record: JournalRecord; next: number } | { damage: string } {
  const end = data.indexOf(0x0a, offset);
  const line = data.subarray(offset, end === -1 ? data.length : end);
  const header = /^(\d{1,10}) ([0-9a-f]{8}) /.exec(line.subarray(0, 20).toString('latin1'));
  if (!header) return { damage: 'no record header' };
  const json = line.subarray(header[0].length);
  if (json.length !== Number(header[1])) return { damage: 'record shorter or longer than its length' };
  if (crc32(json) !== parseInt(header[2]!, 16)) return { damage: 'checksum mismatch' };
  if (end === -1) return { damage: 'record without its line end' };
  let parsed: ReturnType<typeof JournalRecord.safeParse>;
  try {
    parsed = JournalRecord.safeParse(JSON.parse(json.toString('utf8')));
  } catch {
    return { damage: 'record is not JSON' };
  }
  if (!parsed.success) return { damage: `record is not one this version writes: ${parsed.error.issues[0]?.message}` };
  return { record: parsed.data, next: end + 1 };
}

/**
 * The records of one journal file. `last`: this is the newest file, whose end may be torn by a crash
 * mid-append (a short record, a missing line end, or the zeros of blocks never written): damage there
 * that no intact record follows is dropped, and `validBytes` says where the good part ends. Damage
 * anywhere else throws.
 */
export function decodeJournal(
  file: string,
  data: Buffer,
  last: boolean,
): { records: JournalRecord[]; validBytes: number; tornBytes: number } {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < data.length) {
    const read = readLine(data, offset);
    if ('record' in read) {
      records.push(read.record);
      offset = read.next;
      continue;
    }
    if (last && !intactRecordAfter(data, offset))
      return { records, validBytes: offset, tornBytes: data.length - offset };
    throw new JournalCorruptError(file, offset, read.damage);
  }
  return { records, validBytes: offset, tornBytes: 0 };
}

/** Whether an intact record starts on any line after the one at `offset`. */
function intactRecordAfter(data: Buffer, offset: number): boolean {
  for (let at = data.indexOf(0x0a, offset); at !== -1 && at + 1 < data.length; at = data.indexOf(0x0a, at + 1)) {
    if ('record' in readLine(data, at + 1)) return true;
  }
  return false;
}

/** Journal generations present in the directory, oldest first. */
export async function journalGenerations(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => FILE.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Makes a rename or a new file in `dir` durable (the directory entry, not only the file's bytes). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Appends records to the current generation and makes them durable before `append` resolves. Appends
 * that arrive while a flush is on disk wait for the next one and share its fsync (group commit), so
 * many concurrent writes cost one fsync, not one each.
 */
export class JournalWriter {
  private pending: { data: Buffer; done: () => void; failed: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private failure: unknown;
  private bytes = 0;

  private constructor(
    private readonly dir: string,
    private handle: fs.FileHandle,
    private gen: number,
  ) {}

  static async open(dir: string, generation: number): Promise<JournalWriter> {
    const handle = await fs.open(path.join(dir, journalFileName(generation)), 'a', 0o600);
    await syncDirectory(dir);
    return new JournalWriter(dir, handle, generation);
  }

  get generation(): number {
    return this.gen;
  }

  /** Bytes appended to the current generation. */
  get size(): number {
    return this.bytes;
  }

  /** Resolves once the record is on disk; rejects if the disk refused it (then every later append is refused too). */
  append(record: JournalRecord): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const data = encodeRecord(record);
    return new Promise<void>((done, failed) => {
      this.pending.push({ data, done, failed });
      this.schedule();
    });
  }

  /**
   * Starts the next generation: what is appended from now on goes there. Appends already waiting are
   * written to the old one first. Returns the new generation.
   */
  async rotate(): Promise<number> {
    await this.drain();
    const next = await fs.open(path.join(this.dir, journalFileName(this.gen + 1)), 'a', 0o600);
    await syncDirectory(this.dir);
    const old = this.handle;
    this.handle = next;
    this.gen += 1;
    this.bytes = 0;
    await old.close();
    return this.gen;
  }

  /** Waits until everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      this.schedule();
      await this.flushing?.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle.close();
  }

  private schedule(): void {
    if (this.flushing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = (async () => {
      try {
        const data = Buffer.concat(batch.map((p) => p.data));
        await this.handle.write(data);
        await this.handle.datasync();
        this.bytes += data.length;
        for (const p of batch) p.done();
      } catch (err) {
        this.failure = err;
        for (const p of batch) p.failed(err);
        for (const p of this.pending.splice(0)) p.failed(err);
      }
    })().finally(() => {
      this.flushing = undefined;
      this.schedule();
    });
  }
}
