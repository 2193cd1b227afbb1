/**
 * Splits a message into parts that each fit a channel's limit, in characters (UTF-16 code units, as
 * JavaScript and JSON schemas count them) and in UTF-8 bytes. Parts break at a paragraph, then a line, then a space when one lies in the second half
 * of the part, so words stay whole where they can; a surrogate pair is never cut in two.
 */
export type TextLimits = { maxChars: number; maxBytes?: number };

const utf8Bytes = (codePoint: number): number => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

export function splitText(text: string, limits: TextLimits): string[] {
  const maxChars = Math.max(2, Math.floor(limits.maxChars));
  const maxBytes = limits.maxBytes === undefined ? Number.POSITIVE_INFINITY : Math.max(4, Math.floor(limits.maxBytes));
  const points = Array.from(text);
  const parts: string[] = [];
  let start = 0;
  while (start < points.length) {
    // The longest run from `start` within both limits.
    let end = start;
    let bytes = 0;
    let chars = 0;
    while (end < points.length) {
      const point = points[end]!;
      const size = utf8Bytes(point.codePointAt(0)!);
      if (bytes + size > maxBytes || chars + point.length > maxChars) break;
      bytes += size;
      chars += point.length;
      end++;
    }
    // A limit below one character still moves on by one.
    if (end === start) end = start + 1;
    if (end < points.length) end = breakPoint(points, start, end);
    const part = points.slice(start, end).join('');
    start = end;
    // Whitespace at a break belongs to neither side.
    while (start < points.length && /\s/.test(points[start]!)) start++;
    const trimmed = part.replace(/\s+$/, '');
    if (trimmed.length > 0) parts.push(trimmed);
  }
  return parts.length > 0 ? parts : [text];
}

/** A nicer end for a part that has to break before `end`: after a blank line, a newline or a space. */
function breakPoint(points: readonly string[], start: number, end: number): number {
  const floor = start + Math.floor((end - start) / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    for (let i = end; i > floor; i--) {
      const candidate = separator === '\n\n' ? points[i - 2] === '\n' && points[i - 1] === '\n' : points[i - 1] === separator;
      if (candidate) return i;
    }
  }
  return end;
}
