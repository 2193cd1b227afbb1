import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type OutboundAllowList, addressRefusal, hostVerdict } from '../../core/net/address';

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to its addresses (all of them: the guard picks one it may connect to). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export type OutboundPolicy = {
  /** Allowed in addition to public addresses (OUTBOUND_ALLOW). */
  allow: OutboundAllowList;
  resolve: Resolve;
  /** A larger response is cut off and fails: it is never buffered beyond this. */
  maxResponseBytes: number;
  maxRedirects: number;
};

export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
export const defaultOutboundPolicy: OutboundPolicy = {
  allow: [],
  resolve: systemResolve,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  maxRedirects: 3,
};

export type OutboundRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  /** Headers holding a secret (an API key): like Authorization, they are not sent on to another origin by a redirect. */
  secretHeaders?: readonly string[];
};

export type OutboundResult =
  | {
      kind: 'response';
      status: number;
      /** Content-Type and Retry-After only: what callers read. */
      headers: { 'content-type'?: string; 'retry-after'?: string };
      body: Buffer;
    }
  | { kind: 'failure'; status: number | null; detail: string }
  | { kind: 'timeout' };

/** Dropped when a redirect leads to another origin, as browsers drop Authorization. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Target = { url: URL; path: string };
type Exchange = OutboundResult | { kind: 'redirect'; status: number; location: string };

/**
 * The path and query as written, only with what may not stand in a request line percent-encoded.
 * Taken from the text rather than from URL parsing because the parser resolves "." and ".." segments,
 * "%2E%2E" included: a value inserted into one path segment must reach the target in that segment.
 */
function requestPath(text: string): string {
  const rest = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*([^#]*)/i.exec(text)?.[1] ?? '';
  const path = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  return path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function target(text: string): Target | { kind: 'failure'; status: null; detail: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'failure', status: null, detail: 'the URL is not valid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { kind: 'failure', status: null, detail: `the URL must be http(s), not ${url.protocol}` };
  try {
    return { url, path: requestPath(text) };
  } catch {
    return { kind: 'failure', status: null, detail: 'the URL is not valid' };
  }
}

const sameOrigin = (a: URL, b: URL) => a.origin === b.origin;
const without = (headers: Record<string, string>, names: readonly string[]) => {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
};

/**
 * HTTP requests on an admin's behalf that reach only addresses the server may call: public ones and
 * those the deployment allow-lists. A name is resolved once and the connection goes to exactly the
 * address that was checked (the `lookup` hook hands it to the socket), so DNS cannot answer one
 * address to the check and another to the connection; TLS SNI and the Host header keep the name. An
 * IP literal is checked before the request (Node does not look literals up). Redirects are followed
 * here, each hop checked the same way; the body is read up to a byte cap. Everything, DNS and
 * redirects included, happens within the caller's signal. Expected failures are results.
 */
export class GuardedHttp {
  private readonly policy: OutboundPolicy;
  // Own agents without keep-alive: a pooled socket of other code (the global agent) was never checked.
  private readonly agents = {
    http: new http.Agent({ keepAlive: false }),
    https: new https.Agent({ keepAlive: false }),
  };

  constructor(policy: Partial<OutboundPolicy> = {}) {
    const d = defaultOutboundPolicy;
    // Field by field: a caller's `undefined` (an unset option) keeps the default rather than erasing it.
    this.policy = {
      allow: policy.allow ?? d.allow,
      resolve: policy.resolve ?? d.resolve,
      maxResponseBytes: policy.maxResponseBytes ?? d.maxResponseBytes,
      maxRedirects: policy.maxRedirects ?? d.maxRedirects,
    };
  }

  /** `maxResponseBytes` overrides the policy's cap for this request (a media file may be larger than a web request's answer). */
  async send(
    request: OutboundRequest,
    signal: AbortSignal,
    overrides: { maxResponseBytes?: number } = {},
  ): Promise<OutboundResult> {
    const cap = overrides.maxResponseBytes ?? this.policy.maxResponseBytes;
    let current = request;
    for (let hop = 0; ; hop++) {
      if (signal.aborted) return { kind: 'timeout' };
      const to = target(current.url);
      if ('kind' in to) return to;
      const exchanged = await this.exchange(to, current, signal, cap);
      if (exchanged.kind !== 'redirect') return exchanged;
      if (hop >= this.policy.maxRedirects)
        return { kind: 'failure', status: exchanged.status, detail: `more than ${this.policy.maxRedirects} redirects` };
      let next: URL;
      try {
        next = new URL(exchanged.location, to.url);
      } catch {
        return { kind: 'failure', status: exchanged.status, detail: 'a redirect to a URL that is not valid' };
      }
      // 301/302/303 turn into a GET without a body, as browsers do; 307/308 repeat the request as it was.
      const asGet = exchanged.status !== 307 && exchanged.status !== 308;
      let headers = asGet ? without(current.headers, ['content-type', 'content-length']) : current.headers;
      if (!sameOrigin(next, to.url))
        headers = without(headers, [...CREDENTIAL_HEADERS, ...(current.secretHeaders ?? [])]);
      current = {
        ...current,
        url: next.href,
        method: asGet ? 'GET' : current.method,
        body: asGet ? null : current.body,
        headers,
      };
    }
  }

  /** One request and its response, or the redirect it answered with. */
  private exchange(to: Target, request: OutboundRequest, signal: AbortSignal, cap: number): Promise<Exchange> {
    const verdict = hostVerdict(to.url.hostname, this.policy.allow);
    if (verdict.kind === 'refused') return Promise.resolve({ kind: 'failure', status: null, detail: verdict.detail });
    const secure = to.url.protocol === 'https:';
    const body = request.body === null ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = { Accept: '*/*', ...request.headers };
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    const options: http.RequestOptions = {
      method: request.method,
      hostname: verdict.kind === 'address' ? verdict.address : verdict.name,
      port: to.url.port === '' ? undefined : Number(to.url.port),
      path: to.path,
      headers,
      agent: secure ? this.agents.https : this.agents.http,
      // Only called for names: the check happens where the socket gets its address, and under test
      // interception (nock) it is not called at all, so no real DNS is needed there.
      lookup: verdict.kind === 'name' ? this.lookup(verdict.trusted) : undefined,
    };
    return new Promise<Exchange>((resolve) => {
      let settled = false;
      const settle = (result: Exchange) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const tooLarge = (status: number): Exchange => ({
        kind: 'failure',
        status,
        detail: `the response is larger than ${cap} bytes`,
      });
      const failed = (status: number | null, err: unknown): Exchange =>
        signal.aborted
          ? { kind: 'timeout' }
          : { kind: 'failure', status, detail: err instanceof Error ? err.message : String(err) };

      const req = (secure ? https : http).request(options);
      const onAbort = () => {
        req.destroy(new Error('timed out'));
        settle({ kind: 'timeout' });
      };
      signal.addEventListener('abort', onAbort);
      req.on('error', (err) => settle(failed(null, err)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location !== undefined) {
          res.destroy();
          settle({ kind: 'redirect', status, location });
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > cap) {
          res.destroy();
          settle(tooLarge(status));
          return;
        }
        const decoded = decode(res);
        if (!decoded) {
          res.destroy();
          settle({
            kind: 'failure',
            status,
            detail: `the response has an unsupported content encoding (${String(res.headers['content-encoding'])})`,
          });
          return;
        }
        // Counted on the decoded bytes, so a small compressed body cannot unpack beyond the cap.
        const chunks: Buffer[] = [];
        let size = 0;
        decoded.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > cap) {
            decoded.destroy();
            res.destroy();
            settle(tooLarge(status));
            return;
          }
          chunks.push(chunk);
        });
        const contentType = res.headers['content-type'];
        const retryAfter = res.headers['retry-after'];
        decoded.on('end', () =>
          settle({
            kind: 'response',
            status,
            headers: {
              ...(contentType === undefined ? {} : { 'content-type': contentType }),
              ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
            },
            body: Buffer.concat(chunks),
          }),
        );
        decoded.on('error', (err) => settle(failed(status, err)));
        res.on('error', (err) => settle(failed(status, err)));
        res.on('close', () => {
          if (!res.complete)
            settle(failed(status, new Error('the connection closed before the response was complete')));
        });
      });
      if (signal.aborted) onAbort();
      else req.end(body);
    });
  }

  /**
   * The socket's address lookup: resolves the name, picks the first address it may connect to and
   * hands the socket exactly that one. Refused when none is allowed (unless the allow-list trusts the name).
   */
  private lookup(trusted: boolean): LookupFunction {
    return (hostname, options, callback) => {
      this.pick(hostname, trusted).then(
        (picked) => (options.all ? callback(null, [picked]) : callback(null, picked.address, picked.family)),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), ''),
      );
    };
  }

  private async pick(hostname: string, trusted: boolean): Promise<ResolvedAddress> {
    const addresses = await this.policy.resolve(hostname);
    const picked = addresses.find((a) => trusted || addressRefusal(a.address, this.policy.allow) === null);
    if (picked) return picked;
    const first = addresses[0];
    if (!first) throw new Error(`${hostname} has no address`);
    throw new Error(
      `${hostname}: ${addressRefusal(first.address, this.policy.allow) ?? `the address ${first.address} is not allowed`}`,
    );
  }
}

function decode(res: http.IncomingMessage): Readable | undefined {
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder =
    encoding === 'identity' || encoding === ''
      ? undefined
      : encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'deflate'
          ? zlib.createInflate()
          : encoding === 'br'
            ? zlib.createBrotliDecompress()
            : null;
  if (decoder === null) return undefined;
  if (decoder === undefined) return res;
  res.pipe(decoder);
  return decoder;
}
