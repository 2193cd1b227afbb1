import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/**
 * The embedded Cosmos server's master key and the check of every request against it, as Cosmos DB does:
 * `authorization` is the URL-encoded `type=master&ver=1.0&sig=<base64 HMAC-SHA256>` of
 * `verb\nresourceType\nresourceLink\nx-ms-date\n\n` (verb, type and date in lower case), keyed with the
 * base64-decoded master key. @azure/cosmos computes it in `utils/headers.js` (`signature`).
 */

export const KEY_FILE_NAME = 'cosmos-key';

/** How far `x-ms-date` may be from this machine's clock, either way (Cosmos DB allows 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** A new master key: 64 random bytes, base64. */
export const newMasterKey = (): string => randomBytes(64).toString('base64');

/** The base64 HMAC-SHA256 the SDK puts into `sig=`. `date` is the `x-ms-date` header as sent. */
export function masterKeySignature(
  key: string,
  verb: string,
  resourceType: string,
  resourceLink: string,
  date: string,
): string {
  const text = `${verb.toLowerCase()}\n${resourceType.toLowerCase()}\n${resourceLink}\n${date.toLowerCase()}\n\n`;
  return createHmac('sha256', Buffer.from(key, 'base64')).update(text).digest('base64');
}

/** The `authorization` header value for a signature. */
export const masterKeyAuthorization = (signature: string): string =>
  encodeURIComponent(`type=master&ver=1.0&sig=${signature}`);

/**
 * The resource type and link a request path is signed for, as the SDK derives them: a feed (odd number
 * of segments: `dbs`, `dbs/x/colls`, `dbs/x/colls/y/docs`, `dbs/x/colls/y/pkranges`) is signed with its
 * last segment as type and its parent as link; a resource (even: `dbs/x`, `dbs/x/colls/y/docs/z`) with
 * the segment before its id as type and its whole path as link; the account (`/`) with both empty. An
 * offer is signed with its id alone, in lower case. The SDK signs the link unencoded and sends it through
 * `encodeURI`, so the path is decoded with `decodeURI`. Undefined for a path that does not decode.
 */
export function signedResourceOf(url: string): { resourceType: string; resourceLink: string } | undefined {
  const pathname = url.split('?', 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURI(pathname);
  } catch {
    return undefined;
  }
  const trimmed = decoded.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return { resourceType: '', resourceLink: '' };
  const segments = trimmed.split('/');
  if (segments.length % 2 === 1)
    return { resourceType: segments[segments.length - 1]!, resourceLink: segments.slice(0, -1).join('/') };
  const resourceType = segments[segments.length - 2]!;
  if (resourceType === 'offers') return { resourceType, resourceLink: segments[segments.length - 1]!.toLowerCase() };
  return { resourceType, resourceLink: trimmed };
}

const header = (req: Pick<IncomingMessage, 'headers'>, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? undefined : value;
};

/** The `sig=` of a master-key authorization header, or undefined when it is not one. */
function signatureOf(authorization: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(authorization);
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const part of decoded.split('&')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    fields.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  if (fields.get('type') !== 'master' || fields.get('ver') !== '1.0') return undefined;
  const sig = fields.get('sig');
  return sig && /^[A-Za-z0-9+/]+={0,2}$/.test(sig) ? sig : undefined;
}

/**
 * Why the request is refused, or undefined when it is signed with `key` for its verb, path and a date
 * within {@link MAX_CLOCK_SKEW_MS} of `now`.
 */
export function authorizationRefusal(
  key: string,
  req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>,
  now: number = Date.now(),
): string | undefined {
  const authorization = header(req, 'authorization');
  if (!authorization) return 'Required header authorization is missing.';
  const sig = signatureOf(authorization);
  if (!sig) return 'The authorization header is not a master key token (type=master&ver=1.0&sig=...).';
  const date = header(req, 'x-ms-date');
  if (!date) return 'Required header x-ms-date is missing.';
  const sent = Date.parse(date);
  if (Number.isNaN(sent)) return 'The x-ms-date header is not a date.';
  if (Math.abs(now - sent) > MAX_CLOCK_SKEW_MS)
    return 'The authorization token is not valid at the current time (x-ms-date is more than 15 minutes off).';
  const resource = signedResourceOf(req.url ?? '/');
  if (!resource || !req.method) return 'The request path cannot be decoded.';
  const expected = Buffer.from(masterKeySignature(key, req.method, resource.resourceType, resource.resourceLink, date));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'The input authorization token cannot serve the request: the signature does not match the master key.';
  }
  return undefined;
}

/** Cosmos DB's error body for a refused request. */
export const unauthorizedBody = (message: string): string => JSON.stringify({ code: 'Unauthorized', message });

async function readKeyFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const key = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 32) {
    throw new Error(
      `${file} does not hold a base64 key of at least 32 bytes. Delete it to have a new key generated at start.`,
    );
  }
  if (process.platform !== 'win32' && ((await fs.stat(file)).mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  return key;
}

/**
 * The key of a data directory: read from `<dataDir>/cosmos-key`, or generated on first start and stored
 * there with mode 0600. The file appears complete or not at all (written to a temporary file, then
 * hard-linked into place, which fails if it exists), and an existing file is never overwritten: two
 * starts racing both end up with the one key that was linked first.
 */
export async function loadOrCreateKey(dataDir: string): Promise<{ key: string; file: string }> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, file };
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${newMasterKey()}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Some network file systems have no hard links: an exclusive copy still never overwrites.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      await fs.copyFile(temp, file, fsConstants.COPYFILE_EXCL).catch((copyErr: NodeJS.ErrnoException) => {
        if (copyErr.code !== 'EEXIST') throw copyErr;
      });
    } else if (code !== 'EEXIST') {
      throw err;
    }
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
  const key = await readKeyFile(file);
  if (!key) throw new Error(`${file} could not be created`);
  return { key, file };
}
