/**
 * The one splitter of outbound delivery: a message too long for a channel becomes parts that each fit
 * its limit, in characters (UTF-16 code units, as JavaScript, JSON schemas and Twilio count them) and,
 * where the channel needs it, in UTF-8 bytes. Parts break at a paragraph, then a line, then a space when
 * one lies in the second half of the part, so words stay whole where they can. A part never ends inside
 * a grapheme (an emoji joined by ZWJ, a flag, a letter and its accents) unless that one grapheme is
 * longer than a part, and even then never inside a surrogate pair.
 */
export type TextLimits = { maxChars: number; maxBytes?: number };

/** What one WhatsApp message carries (Twilio's Body limit). */
export const WHATSAPP_TEXT_LIMITS: TextLimits = { maxChars: 1_600 };

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const utf8Bytes = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

const bytesOf = (unit: string): number => {
  let n = 0;
  for (const point of unit) n += utf8Bytes(point.codePointAt(0)!);
  return n;
};

const isSpace = (unit: string): boolean => /^\s+$/.test(unit);
const isNewline = (unit: string | undefined): boolean => unit === '\n' || unit === '\r\n';

/** The text as the pieces a part may end between: graphemes, or the code points of one too long for a part. */
function unitsOf(text: string, maxChars: number, maxBytes: number): string[] {
  const units: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (segment.length <= maxChars && bytesOf(segment) <= maxBytes) units.push(segment);
    else units.push(...Array.from(segment));
  }
  return units;
}

export function splitText(text: string, limits: TextLimits): string[] {
  // Any code point fits: a part is never empty.
  const maxChars = Math.max(2, Math.floor(limits.maxChars));
  const maxBytes = limits.maxBytes === undefined ? Number.POSITIVE_INFINITY : Math.max(4, Math.floor(limits.maxBytes));
  const units = unitsOf(text, maxChars, maxBytes);
  const parts: string[] = [];
  let start = 0;
  while (start < units.length) {
    // The longest run from `start` within both limits.
    let end = start;
    let bytes = 0;
    let chars = 0;
    while (end < units.length) {
      const unit = units[end]!;
      const size = bytesOf(unit);
      if (bytes + size > maxBytes || chars + unit.length > maxChars) break;
      bytes += size;
      chars += unit.length;
      end++;
    }
    if (end < units.length) end = breakPoint(units, start, end);
    // Whitespace at a break belongs to neither side.
    let last = end;
    while (last > start && isSpace(units[last - 1]!)) last--;
    if (last > start) parts.push(units.slice(start, last).join(''));
    start = end;
    while (start < units.length && isSpace(units[start]!)) start++;
  }
  return parts.length > 0 ? parts : [text];
}

/** A nicer end for a part that has to break before `end`: after a blank line, a newline or a space. */
function breakPoint(units: readonly string[], start: number, end: number): number {
  const floor = start + Math.floor((end - start) / 2);
  const candidates: ((i: number) => boolean)[] = [
    (i) => isNewline(units[i - 2]) && isNewline(units[i - 1]),
    (i) => isNewline(units[i - 1]),
    (i) => units[i - 1] === ' ',
  ];
  for (const candidate of candidates) {
    for (let i = end; i > floor; i--) if (candidate(i)) return i;
  }
  return end;
}
