import { promises as fs, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type JournalRecord, JournalWriter, decodeJournal, journalFileName } from '../../../bot/src/store/journal';

const put = (id: string): JournalRecord => ({ op: 'put', db: 'cc', coll: 'chats', doc: { id, pk: `chat:${id}` } });

describe('the journal writer', () => {
  it('makes concurrent appends durable together (one fsync for many), and rotation starts the next file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-journal-writer-'));
    const probe = await fs.open(path.join(dir, 'probe'), 'w');
    const FileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const syncs = jest.spyOn(FileHandle, 'datasync');
    const writer = await JournalWriter.open(dir, 7);
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append(put(`d${i}`))));
      // Group commit: the 200 appends waited for a handful of fsyncs, not 200.
      expect(syncs.mock.calls.length).toBeGreaterThan(0);
      expect(syncs.mock.calls.length).toBeLessThan(20);
      expect(await writer.rotate()).toBe(8);
      await writer.append(put('next'));
    } finally {
      await writer.close();
      syncs.mockRestore();
    }
    expect(decodeJournal('7', readFileSync(path.join(dir, journalFileName(7))), false).records).toHaveLength(200);
    expect(decodeJournal('8', readFileSync(path.join(dir, journalFileName(8))), false).records).toEqual([put('next')]);
  });
});
