import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvCell, toCsv } from '../../../bot/src/core/reporting';

const parseBack = (text: string): string[][] => parse(text, { relaxQuotes: false }) as string[][];

describe('CSV export', () => {
  it('parses back to the same rows, with quotes, commas and line breaks', () => {
    const rows = [
      ['Casey "CJ" Jones', 'Zurich, Switzerland', 'line one\nline two', 'crlf\r\nhere'],
      ['plain', '', ' padded ', 'ü ß 😀'],
    ];
    const text = toCsv(['name', 'place', 'note', 'other'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseBack(text)).toEqual([['name', 'place', 'note', 'other'], ...rows]);
  });

  it('neutralises what a spreadsheet would run as a formula, and keeps numbers numbers', () => {
    const hostile = ['=HYPERLINK("http://x","click")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    const [, back] = parseBack(toCsv(['a', 'b', 'c', 'd', 'e', 'f'], [hostile]));
    expect(back).toEqual(hostile.map((h) => `'${h}`));
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('round-trips any text that does not start like a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 2, maxLength: 2 }), {
          minLength: 1,
          maxLength: 10,
        }),
        (rows) => {
          const safe = rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `x${c}` : c)));
          expect(parseBack(toCsv(['a', 'b'], safe)).slice(1)).toEqual(safe);
        },
      ),
      { numRuns: 200 },
    );
  });
});
