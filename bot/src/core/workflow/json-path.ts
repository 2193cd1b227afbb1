import { type Result, ok, refuse } from '../result';
/**
 * A small JSON path for picking values out of web-request responses: `$`, `.name`, `['name']`,
 * `["name"]` and `[index]`. No wildcards or filters: one path names one value.
 */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type ParsedPath = Result<PathSegment[], string>;

export function parseJsonPath(path: string): ParsedPath {
  if (!path.startsWith('$')) return refuse(`"${path}" must start with $`);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(path.slice(i + 1));
      if (!m) return refuse(`"${path}": a name must follow "." at position ${i + 1}`);
      segments.push({ kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = path.slice(i);
      const index = /^\[(\d{1,6})\]/.exec(rest);
      const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (index) {
        segments.push({ kind: 'index', index: Number(index[1]) });
        i += index[0].length;
      } else if (quoted) {
        segments.push({ kind: 'key', key: (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1') });
        i += quoted[0].length;
      } else return refuse(`"${path}": expected [index] or ['name'] at position ${i + 1}`);
    } else return refuse(`"${path}": unexpected "${c}" at position ${i + 1}`);
  }
  return ok(segments);
}

export type PathValue = { found: true; value: unknown } | { found: false };

export function evaluateJsonPath(document: unknown, segments: readonly PathSegment[]): PathValue {
  let current: unknown = document;
  for (const s of segments) {
    if (s.kind === 'index') {
      if (!Array.isArray(current) || s.index >= current.length) return { found: false };
      current = current[s.index];
    } else {
      if (
        typeof current !== 'object' ||
        current === null ||
        Array.isArray(current) ||
        !Object.prototype.hasOwnProperty.call(current, s.key)
      )
        return { found: false };
      current = (current as Record<string, unknown>)[s.key];
    }
  }
  return { found: true, value: current };
}

/** A picked value as parameter text: strings as they are, other JSON as JSON, null as empty. */
export function jsonValueAsText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
