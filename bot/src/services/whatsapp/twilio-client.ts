import { z } from 'zod/v4';
import { type WhatsAppConnector, twilioApiBase } from '../../core/model';
import type { AttemptFailure } from '../../core/relay';
import { GuardedHttp } from '../net/guarded-http';
import { type Result, ok, refuse } from '../../core/result';

export type SendRequest = { from: string; to: string; statusCallback: string } & (
  { body: string } | { contentSid: string }
);

export type SendOutcome =
  | { ok: true; sid: string; status: string }
  /** What Twilio answered (no status: no answer at all); whether that is worth a retry is core/relay's `retryRule`. */
  | { ok: false; failure: AttemptFailure };

const Created = z.object({ sid: z.string(), status: z.string() });
const TwilioError = z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() });

const auth = (c: Pick<WhatsAppConnector, 'accountSid' | 'authToken'>) =>
  `Basic ${Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64')}`;

/** The little of Twilio's REST API we use: send a message (form-encoded, basic auth), fetch media. */
export class TwilioClient {
  constructor(
    private readonly timeoutMs = 10_000,
    /** Media links arrive in webhooks: fetched only from public addresses (or what OUTBOUND_ALLOW names). */
    private readonly guarded: Pick<GuardedHttp, 'send'> = new GuardedHttp(),
  ) {}

  async send(connector: WhatsAppConnector, request: SendRequest): Promise<SendOutcome> {
    const form = new URLSearchParams({
      From: `whatsapp:${request.from}`,
      To: `whatsapp:${request.to}`,
      StatusCallback: request.statusCallback,
    });
    if ('body' in request) form.set('Body', request.body);
    else form.set('ContentSid', request.contentSid);
    let res: Response;
    try {
      res = await fetch(
        `${twilioApiBase(connector.region)}/2010-04-01/Accounts/${connector.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: { authorization: auth(connector), 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
    } catch (err) {
      return { ok: false, failure: { status: undefined, message: `network: ${(err as Error).message}` } };
    }
    const json: unknown = await res.json().catch(() => ({}));
    if (res.ok) {
      const created = Created.safeParse(json);
      if (created.success) return { ok: true, sid: created.data.sid, status: created.data.status };
      return { ok: false, failure: { status: res.status, message: 'unexpected response', final: true } };
    }
    const error = TwilioError.safeParse(json);
    const retryAfter = Number(res.headers.get('retry-after'));
    const failure: AttemptFailure = {
      status: res.status,
      message: (error.success && error.data.message) || `HTTP ${res.status}`,
    };
    if (error.success && error.data.code !== undefined) failure.code = String(error.data.code);
    if (Number.isFinite(retryAfter) && retryAfter > 0) failure.retryAfterMs = retryAfter * 1000;
    return { ok: false, failure };
  }

  /** Media of an inbound message, with the account's credentials, refusing anything over `maxBytes`. */
  async fetchMedia(
    connector: WhatsAppConnector,
    url: string,
    maxBytes: number,
  ): Promise<Result<{ contentType: string; body: Buffer }, 'too-large' | 'unavailable'>> {
    // Twilio redirects media to its CDN; the guard drops the credentials when the origin changes.
    const result = await this.guarded.send(
      { method: 'GET', url, headers: { authorization: auth(connector) }, body: null },
      AbortSignal.timeout(this.timeoutMs),
      { maxResponseBytes: maxBytes },
    );
    if (result.kind === 'failure' && /larger than/.test(result.detail)) return refuse('too-large');
    if (result.kind !== 'response' || result.status < 200 || result.status > 299) return refuse('unavailable');
    return ok({ contentType: result.headers['content-type'] ?? 'application/octet-stream', body: result.body });
  }
}
