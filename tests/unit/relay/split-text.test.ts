import fc from 'fast-check';
import { splitText } from '../../../bot/src/core/relay';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitting oversized messages', () => {
  it('leaves a message that fits alone', () => {
    expect(splitText('Hello there', { maxChars: 4000 })).toEqual(['Hello there']);
  });

  it('breaks at a paragraph, then a line, then a space, rather than inside a word', () => {
    expect(splitText('first paragraph\n\nsecond one', { maxChars: 20 })).toEqual(['first paragraph', 'second one']);
    expect(splitText('line one here\nline two and more', { maxChars: 20 })).toEqual(['line one here', 'line two and more']);
    expect(splitText('alpha beta gamma delta', { maxChars: 12 })).toEqual(['alpha beta', 'gamma delta']);
    expect(splitText('x'.repeat(25), { maxChars: 10 })).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('respects a byte limit and never cuts an emoji in two', () => {
    const parts = splitText('😀'.repeat(10), { maxChars: 100, maxBytes: 12 });
    expect(parts).toEqual(['😀😀😀', '😀😀😀', '😀😀😀', '😀']);
  });

  it('keeps every word, in order, within both limits (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 8, max: 200 }), (text, maxChars, maxBytes) => {
        const parts = splitText(text, { maxChars, maxBytes });
        for (const part of parts) {
          if (parts.length > 1) {
            expect(part.length).toBeLessThanOrEqual(maxChars);
            expect(bytes(part)).toBeLessThanOrEqual(maxBytes);
          }
        }
        const squash = (s: string) => s.replace(/\s+/g, '');
        expect(squash(parts.join(''))).toBe(squash(text));
      }),
    );
  });
});
