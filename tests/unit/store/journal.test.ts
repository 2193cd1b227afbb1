import {
  JournalCorruptError,
  type JournalRecord,
  crc32,
  decodeJournal,
  encodeRecord,
} from '../../../bot/src/store/journal';

const put = (id: string, n = 1): JournalRecord => ({
  op: 'put',
  db: 'cc',
  coll: 'chats',
  doc: { id, pk: `chat:${id}`, n },
});
const file = (...records: JournalRecord[]) => Buffer.concat(records.map(encodeRecord));

describe('the journal format', () => {
  it('computes CRC-32 as zip does', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('reads back what it wrote, one line per record: length, checksum, JSON', () => {
    const records: JournalRecord[] = [
      put('a'),
      { op: 'delete', db: 'cc', coll: 'chats', id: 'b', pk: ['chat:b'] },
      { op: 'create-coll', db: 'cc', coll: 'x', partitionKey: { paths: ['/pk'] } },
      put('ü\n"', 2),
    ];
    const data = file(...records);
    expect(data.toString('utf8').split('\n')[0]).toMatch(/^\d+ [0-9a-f]{8} \{"op":"put"/);
    expect(decodeJournal('j', data, false)).toEqual({ records, validBytes: data.length, tornBytes: 0 });
  });

  it.each([
    ['cut in the middle of a record', (d: Buffer) => d.subarray(0, d.length - 7)],
    ['cut before its line end', (d: Buffer) => d.subarray(0, d.length - 1)],
    [
      'followed by zeros (blocks never written)',
      (d: Buffer) => Buffer.concat([d.subarray(0, d.length - 30), Buffer.alloc(4096)]),
    ],
    ['with a garbled tail', (d: Buffer) => Buffer.concat([d.subarray(0, d.length - 3), Buffer.from('xyz\n')])],
  ])('drops a torn last record of the newest file: %s', (_name, tear) => {
    const good = file(put('a'), put('b'));
    const data = tear(Buffer.concat([good, encodeRecord(put('c'))]));
    expect(decodeJournal('j', data, true)).toEqual({
      records: [put('a'), put('b')],
      validBytes: good.length,
      tornBytes: data.length - good.length,
    });
  });

  it('refuses damage that an intact record follows, and damage in an older file', () => {
    const data = file(put('a'), put('b'), put('c'));
    const middle = Buffer.from(data);
    const at = data.indexOf('"b"');
    middle[at + 1] = 'x'.charCodeAt(0);
    expect(() => decodeJournal('journal-000001.log', middle, true)).toThrow(JournalCorruptError);
    expect(() => decodeJournal('journal-000001.log', middle, true)).toThrow(
      /journal-000001\.log is damaged at byte \d+ \(checksum mismatch\)/,
    );
    expect(() => decodeJournal('j', data.subarray(0, data.length - 2), false)).toThrow(JournalCorruptError);
  });

  it('refuses a well-formed line that is not a record this version writes', () => {
    const json = Buffer.from(JSON.stringify({ op: 'truncate-everything' }));
    const line = Buffer.concat([
      Buffer.from(`${json.length} ${crc32(json).toString(16).padStart(8, '0')} `),
      json,
      Buffer.from('\n'),
    ]);
    expect(() => decodeJournal('j', Buffer.concat([line, file(put('a'))]), true)).toThrow(
      /not one this version writes/,
    );
  });
});
