import type { Next, Request, Response } from 'restify';
import { HttpError } from './errors';

/** The body formats a route may take. Nothing else is parsed: no multipart, no compressed uploads. */
export type BodyFormat = 'json' | 'form';

export type BodyPolicy = { maxBytes: number; formats: readonly BodyFormat[] };

/** Which paths take which bodies, longest prefix first. Unlisted paths get the default. */
export type BodyPolicies = {
  byPrefix: readonly (readonly [prefix: string, policy: BodyPolicy])[];
  fallback: BodyPolicy;
};

const KiB = 1024;

export const defaultBodyPolicies: BodyPolicies = {
  byPrefix: [
    // A widget call carries at most a 4,000-character message (up to 6 bytes each when JSON-escaped) and a form.
    // A page going away says so with navigator.sendBeacon, which posts a form without a preflight.
    ['/interact/v1/beacons/', { maxBytes: 4 * KiB, formats: ['form'] }],
    ['/interact/', { maxBytes: 32 * KiB, formats: ['json'] }],
    // Twilio posts forms: a message body of 1,600 characters, ten media URLs and a few dozen fields.
    ['/whatsapp/', { maxBytes: 64 * KiB, formats: ['form'] }],
    // Teams activities: a message of up to about 100 KB plus its attachments and entities.
    ['/api/messages', { maxBytes: 512 * KiB, formats: ['json'] }],
    // Microsoft Graph change notifications: a batch of presence changes, each well under 1 KB.
    ['/api/graph/', { maxBytes: 256 * KiB, formats: ['json'] }],
    // The tab API: workflows are the largest documents an admin saves.
    ['/api/v1/', { maxBytes: 1024 * KiB, formats: ['json'] }],
  ],
  fallback: { maxBytes: 64 * KiB, formats: ['json'] },
};

const MEDIA_TYPES: Record<string, BodyFormat> = {
  'application/json': 'json',
  'application/x-www-form-urlencoded': 'form',
};

const policyFor = (policies: BodyPolicies, path: string): BodyPolicy =>
  policies.byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? policies.fallback;

const hasBody = (req: Request): boolean => {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

/**
 * Reads the request body for every route, before routing and authentication, so no route can be
 * reached with a body it was not built for. The body is never decompressed (no route needs compressed
 * uploads, and an inflating stream turns a small request into a large one) and never stored on disk;
 * it is counted as it arrives and refused as soon as it passes the route's limit. A refused body closes
 * the connection, so what the client still sends is not read as another request.
 */
export function readBodies(
  send: (req: Request, res: Response, err: HttpError) => void,
  policies: BodyPolicies = defaultBodyPolicies,
) {
  return (req: Request, res: Response, next: Next): void => {
    const refuse = (err: HttpError) => {
      res.header('connection', 'close');
      send(req, res, err);
      next(false);
    };
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== '') {
      refuse(
        new HttpError(
          415,
          'unsupported-content-encoding',
          'Compressed request bodies are not accepted. Send the body uncompressed.',
        ),
      );
      return;
    }
    if (!hasBody(req)) {
      next();
      return;
    }
    const policy = policyFor(policies, req.getPath());
    const [mediaType = '', ...params] = (req.headers['content-type'] ?? '')
      .split(';')
      .map((part) => part.trim().toLowerCase());
    const format = MEDIA_TYPES[mediaType];
    if (!format || !policy.formats.includes(format)) {
      const accepted = policy.formats
        .map((f) => Object.keys(MEDIA_TYPES).find((t) => MEDIA_TYPES[t] === f))
        .join(' or ');
      refuse(new HttpError(415, 'unsupported-media-type', `This endpoint takes ${accepted} bodies only.`));
      return;
    }
    const charset = params
      .find((p) => p.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      refuse(new HttpError(415, 'unsupported-charset', 'Request bodies must be UTF-8.'));
      return;
    }
    const tooLarge = () =>
      new HttpError(413, 'payload-too-large', `The request body is larger than ${policy.maxBytes} bytes.`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
      refuse(tooLarge());
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: HttpError) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (err) {
        // Stop reading what is left; the connection closes after the answer.
        req.pause();
        refuse(err);
        return;
      }
      try {
        (req as Request & { body: unknown }).body = parse(format, Buffer.concat(chunks, size));
      } catch (parseError) {
        refuse(parseError as HttpError);
        return;
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > policy.maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', () => finish(new HttpError(400, 'unreadable-body', 'The request body could not be read.')));
    req.once('aborted', () => finish(new HttpError(400, 'unreadable-body', 'The request body was cut off.')));
  };
}

function parse(format: BodyFormat, raw: Buffer): unknown {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let decoded: string;
  try {
    decoded = text.decode(raw);
  } catch {
    throw new HttpError(400, 'invalid-encoding', 'The request body is not valid UTF-8.');
  }
  if (format === 'json') {
    if (decoded.trim() === '') return undefined;
    try {
      return JSON.parse(decoded) as unknown;
    } catch {
      throw new HttpError(400, 'invalid-json', 'The request body is not valid JSON.');
    }
  }
  // A form field given twice is ambiguous (which one did the sender sign?): refused, not guessed.
  const form: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(decoded)) {
    if (Object.hasOwn(form, name))
      throw new HttpError(400, 'duplicate-field', `The form field "${name.slice(0, 64)}" is given more than once.`);
    form[name] = value;
  }
  return { ...form };
}
