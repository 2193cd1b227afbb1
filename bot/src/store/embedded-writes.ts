import type { IncomingMessage } from 'node:http';
import type { JournalRecord } from './journal';

/**
 * Which requests to the embedded Cosmos server change its data, and the journal record each leaves
 * behind once it succeeded. Recognised as @vercel/cosmosdb-server routes them (method, path shape and
 * the query / upsert / batch headers). Writes this store does not journal (batches, user-defined
 * functions, container replacement: nothing here uses them) are refused rather than silently lost
 * at the next restart.
 */
export type EmbeddedWrite =
  { kind: 'read' } | { kind: 'unsupported'; what: string } | { kind: 'write'; target: WriteTarget };

type WriteTarget =
  | { op: 'create-db' }
  | { op: 'delete-db'; db: string }
  | { op: 'create-coll'; db: string }
  | { op: 'delete-coll'; db: string; coll: string }
  | { op: 'put-doc'; db: string; coll: string }
  | { op: 'delete-doc'; db: string; coll: string; id: string };

const isTrue = (req: IncomingMessage, name: string): boolean => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value : [value ?? '']).some((v) => v.toLowerCase() === 'true');
};

/** The path's segments, decoded, as the server's router reads them (a leading "//" and trailing slashes ignored). */
function segmentsOf(url: string): string[] | undefined {
  const pathname = (url.split('?', 1)[0] ?? '').replace(/^\/\//, '/').replace(/\/+$/, '');
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function classifyRequest(req: IncomingMessage): EmbeddedWrite {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return { kind: 'read' };
  if (
    method === 'POST' &&
    (isTrue(req, 'x-ms-documentdb-isquery') ||
      isTrue(req, 'x-ms-cosmos-is-query-plan-request') ||
      req.headers['content-type'] === 'application/query+json')
  ) {
    return { kind: 'read' };
  }
  const s = segmentsOf(req.url ?? '/');
  if (!s) return { kind: 'read' };
  const shape = s.map((seg, i) => (i % 2 === 0 ? seg : ':')).join('/');
  if (method === 'POST' && isTrue(req, 'x-ms-cosmos-is-batch-request'))
    return { kind: 'unsupported', what: 'transactional batches' };
  if (s.includes('udfs')) return { kind: 'unsupported', what: 'user-defined functions' };
  const [, db = '', , coll = '', , id = ''] = s;
  switch (`${method} ${shape}`) {
    case 'POST dbs':
      return { kind: 'write', target: { op: 'create-db' } };
    case 'DELETE dbs/:':
      return { kind: 'write', target: { op: 'delete-db', db } };
    case 'POST dbs/:/colls':
      return { kind: 'write', target: { op: 'create-coll', db } };
    case 'DELETE dbs/:/colls/:':
      return { kind: 'write', target: { op: 'delete-coll', db, coll } };
    case 'PUT dbs/:/colls/:':
      return { kind: 'unsupported', what: 'replacing a container' };
    case 'POST dbs/:/colls/:/docs':
    case 'PUT dbs/:/colls/:/docs/:':
    case 'PATCH dbs/:/colls/:/docs/:':
      return { kind: 'write', target: { op: 'put-doc', db, coll } };
    case 'DELETE dbs/:/colls/:/docs/:':
      return { kind: 'write', target: { op: 'delete-doc', db, coll, id } };
    default:
      // Not a route of the server: it answers 400 itself, and nothing changes.
      return { kind: 'read' };
  }
}

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_ts', '_attachments'];

/**
 * The record of a write that succeeded, from the server's answer (the document as stored, the
 * container's definition) and, for a deletion, the request's partition key. Undefined when the answer
 * is not what a success of that write looks like (nothing to journal).
 */
export function recordOf(target: WriteTarget, req: IncomingMessage, body: string): JournalRecord | undefined {
  let answer: unknown;
  try {
    answer = body === '' ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
  const object =
    typeof answer === 'object' && answer !== null && !Array.isArray(answer)
      ? (answer as Record<string, unknown>)
      : undefined;
  switch (target.op) {
    case 'create-db':
      return typeof object?.id === 'string' ? { op: 'create-db', db: object.id } : undefined;
    case 'delete-db':
      return { op: 'delete-db', db: target.db };
    case 'create-coll':
      return typeof object?.id === 'string' && typeof object.partitionKey === 'object' && object.partitionKey !== null
        ? {
            op: 'create-coll',
            db: target.db,
            coll: object.id,
            partitionKey: object.partitionKey as Record<string, unknown>,
          }
        : undefined;
    case 'delete-coll':
      return { op: 'delete-coll', db: target.db, coll: target.coll };
    case 'put-doc': {
      if (typeof object?.id !== 'string') return undefined;
      const doc = Object.fromEntries(Object.entries(object).filter(([k]) => !SYSTEM_PROPERTIES.includes(k)));
      return { op: 'put', db: target.db, coll: target.coll, doc };
    }
    case 'delete-doc': {
      const header = req.headers['x-ms-documentdb-partitionkey'];
      let pk: unknown = [];
      try {
        pk = typeof header === 'string' ? JSON.parse(header) : [];
      } catch {
        return undefined;
      }
      return { op: 'delete', db: target.db, coll: target.coll, id: target.id, pk: Array.isArray(pk) ? pk : [pk] };
    }
  }
}
