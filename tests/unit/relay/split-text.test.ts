import fc from 'fast-check';
import { WHATSAPP_TEXT_LIMITS, splitText } from '../../../bot/src/core/relay';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const FAMILY = '👩\u200d👩\u200d👧\u200d👦';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const boundaries = (text: string) => new Set([...[...graphemes.segment(text)].map((g) => g.index), text.length]);
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** A part that neither starts nor ends inside a surrogate pair. */
function expectWholeCodeUnits(part: string): void {
  expect(isLow(part.charCodeAt(0))).toBe(false);
  expect(isHigh(part.charCodeAt(part.length - 1))).toBe(false);
}

/** Where each part lies in the text, checking that only whitespace lies between, before and after them. */
function placesOf(text: string, parts: string[]): { start: number; end: number }[] {
  const places: { start: number; end: number }[] = [];
  let at = 0;
  for (const part of parts) {
    const start = text.indexOf(part, at);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(text.slice(at, start).trim()).toBe('');
    places.push({ start, end: start + part.length });
    at = start + part.length;
  }
  expect(text.slice(at).trim()).toBe('');
  return places;
}

/** Text with the hard cases close together: ZWJ sequences, flags, skin tones, accents, CRLF, any code point. */
const hardText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom(
        FAMILY,
        '🇨🇭',
        '🇩🇪',
        '👍🏽',
        '😀',
        'e\u0301',
        '\u0915\u094d\u0937',
        ' ',
        '  ',
        '\n',
        '\n\n',
        '\r\n',
        '\t',
        'word',
        'longerword',
      ),
    ),
    { maxLength: 80 },
  )
  .map((pieces) => pieces.join(''));

/** The property for any hard text, with `maxChars` and (when given) `maxBytes` drawn from these ranges. */
const forAnyText = (
  chars: { min: number; max: number },
  bytesLimit: { min: number; max: number },
  property: (text: string, maxChars: number, maxBytes: number | undefined) => void,
) =>
  fc.assert(fc.property(hardText, fc.integer(chars), fc.option(fc.integer(bytesLimit), { nil: undefined }), property));

describe('splitting oversized messages', () => {
  it('leaves a message that fits alone', () => {
    expect(splitText('Hello there', { maxChars: 4000 })).toEqual(['Hello there']);
  });

  it('breaks at a paragraph, then a line, then a space, rather than inside a word', () => {
    expect(splitText('first paragraph\n\nsecond one', { maxChars: 20 })).toEqual(['first paragraph', 'second one']);
    expect(splitText('line one here\nline two and more', { maxChars: 20 })).toEqual([
      'line one here',
      'line two and more',
    ]);
    expect(splitText('alpha beta gamma delta', { maxChars: 12 })).toEqual(['alpha beta', 'gamma delta']);
    expect(splitText('x'.repeat(25), { maxChars: 10 })).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('respects a byte limit and never cuts an emoji in two', () => {
    const parts = splitText('😀'.repeat(10), { maxChars: 100, maxBytes: 12 });
    expect(parts).toEqual(['😀😀😀', '😀😀😀', '😀😀😀', '😀']);
  });

  it('keeps every word, in order, within both limits (any text)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 8, max: 200 }),
        (text, maxChars, maxBytes) => {
          const parts = splitText(text, { maxChars, maxBytes });
          for (const part of parts) {
            if (parts.length > 1) {
              expect(part.length).toBeLessThanOrEqual(maxChars);
              expect(bytes(part)).toBeLessThanOrEqual(maxBytes);
            }
          }
          const squash = (s: string) => s.replace(/\s+/g, '');
          expect(squash(parts.join(''))).toBe(squash(text));
        },
      ),
    );
  });
});

describe('splitting never cuts a character', () => {
  it('keeps ZWJ sequences, flags and skin tones whole', () => {
    expect(splitText(FAMILY.repeat(5), { maxChars: 25 })).toEqual([FAMILY.repeat(2), FAMILY.repeat(2), FAMILY]);
    expect(splitText('🇨🇭🇩🇪🇫🇷', { maxChars: 5 })).toEqual(['🇨🇭', '🇩🇪', '🇫🇷']);
    expect(splitText('👍🏽👍🏽👍🏽', { maxChars: 100, maxBytes: 10 })).toEqual(['👍🏽', '👍🏽', '👍🏽']);
    expect(splitText('e\u0301'.repeat(3), { maxChars: 3 })).toEqual(['e\u0301', 'e\u0301', 'e\u0301']);
  });

  it('cuts one grapheme longer than a part between its code points, never inside a surrogate pair', () => {
    const parts = splitText(FAMILY, { maxChars: 5 });
    expect(parts.join('')).toBe(FAMILY);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(5);
      expectWholeCodeUnits(part);
    }
  });

  it('at WhatsApp’s 1600 characters, an emoji on the limit moves to the next part whole', () => {
    expect(splitText(`${'a'.repeat(1599)}😀 and more`, WHATSAPP_TEXT_LIMITS)).toEqual([
      'a'.repeat(1599),
      '😀 and more',
    ]);
    expect(splitText(`${'a'.repeat(1598)} ${FAMILY}`, WHATSAPP_TEXT_LIMITS)).toEqual(['a'.repeat(1598), FAMILY]);
  });

  it('gives the text back when the parts are joined with the whitespace at each break (any text)', () => {
    forAnyText({ min: 2, max: 80 }, { min: 4, max: 200 }, (text, maxChars, maxBytes) => {
      placesOf(text, splitText(text, { maxChars, maxBytes }));
    });
  });

  it('keeps every part within both limits, and no part starts or ends inside a surrogate pair (any text)', () => {
    forAnyText({ min: 2, max: 80 }, { min: 4, max: 200 }, (text, maxChars, maxBytes) => {
      const parts = splitText(text, { maxChars, maxBytes });
      if (text.trim() === '') return;
      for (const part of parts) {
        expect(part.length).toBeGreaterThan(0);
        expect(part.length).toBeLessThanOrEqual(maxChars);
        if (maxBytes !== undefined) expect(bytes(part)).toBeLessThanOrEqual(maxBytes);
        expectWholeCodeUnits(part);
      }
    });
  });

  it('breaks only between graphemes when every grapheme fits in a part (any text)', () => {
    // The largest grapheme above is the family: 11 UTF-16 units, 25 bytes.
    forAnyText({ min: 40, max: 120 }, { min: 100, max: 300 }, (text, maxChars, maxBytes) => {
      const cuts = boundaries(text);
      for (const { start, end } of placesOf(text, splitText(text, { maxChars, maxBytes }))) {
        expect(cuts.has(start)).toBe(true);
        expect(cuts.has(end)).toBe(true);
      }
    });
  });
});
