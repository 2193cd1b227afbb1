import { z } from 'zod/v4';
import {
  type CommandResult,
  type TemplateValues,
  type WebRequestConfig,
  buildRequest,
  mapResponse,
} from '../../core/workflow';
import { GuardedHttp, type OutboundPolicy, type OutboundResult } from '../net/guarded-http';
import type { Clock } from '../routing/clock';

type WebResponse = Extract<CommandResult, { kind: 'web-response' }>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive().optional(),
});

/** A token is renewed this long before it expires, so it does not expire in flight. */
const TOKEN_MARGIN_MS = 30_000;

class TimedOut extends Error {}

/**
 * Carries out configured web requests through the guarded HTTP client: only public addresses (and
 * those the deployment allow-lists) are reached, redirects included, and a response is read only up
 * to its byte cap (a workflow maps a few values, not documents). Every request has its own deadline
 * (AbortSignal), which also covers fetching an OAuth token, DNS, redirects and the body, so a slow
 * target costs only the workflow that called it. Expected failures are results, never exceptions.
 */
export class WebRequestClient {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly http: GuardedHttp;

  constructor(
    private readonly clock: Clock,
    outbound: Partial<OutboundPolicy> = {},
  ) {
    this.http = new GuardedHttp(outbound);
  }

  async run(config: WebRequestConfig, values: TemplateValues): Promise<WebResponse> {
    const signal = this.clock.timeout(config.timeoutSeconds * 1000);
    try {
      const request = buildRequest(config, values);
      let fromCache = false;
      if (config.auth.kind === 'oauth2-client-credentials') {
        const token = await this.token(config.auth, signal);
        fromCache = token.fromCache;
        request.headers.Authorization = `Bearer ${token.token}`;
      }
      const secretHeaders = config.auth.kind === 'api-key' ? [config.auth.header] : [];
      let response = await this.http.send({ ...request, secretHeaders }, signal);
      // A cached token the target no longer takes (revoked, rotated): one more try with a fresh one.
      if (
        response.kind === 'response' &&
        response.status === 401 &&
        fromCache &&
        config.auth.kind === 'oauth2-client-credentials'
      ) {
        this.tokens.delete(this.tokenKey(config.auth));
        request.headers.Authorization = `Bearer ${(await this.token(config.auth, signal)).token}`;
        response = await this.http.send({ ...request, secretHeaders }, signal);
      }
      if (response.kind === 'timeout') throw new TimedOut();
      if (response.kind === 'failure') return failure(response.status, response.detail);
      if (!ok(response.status)) return failure(response.status, `HTTP ${response.status}`);
      if (config.responseMappings.length === 0)
        return { kind: 'web-response', outcome: 'success', values: {}, status: response.status, detail: null };
      let body: unknown;
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        return failure(response.status, 'the response is not JSON');
      }
      const mapped = mapResponse(config, body);
      return {
        kind: 'web-response',
        outcome: 'success',
        values: mapped.values,
        status: response.status,
        detail: mapped.missing.length > 0 ? `not in the response: ${mapped.missing.join(', ')}` : null,
      };
    } catch (err) {
      if (
        err instanceof TimedOut ||
        signal.aborted ||
        (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      ) {
        return {
          kind: 'web-response',
          outcome: 'timeout',
          values: {},
          status: null,
          detail: `no answer within ${config.timeoutSeconds} s`,
        };
      }
      return failure(null, err instanceof Error ? err.message : String(err));
    }
  }

  private tokenKey(auth: Extract<WebRequestConfig['auth'], { kind: 'oauth2-client-credentials' }>): string {
    return `${auth.tokenUrl}\n${auth.clientId}\n${auth.scope ?? ''}`;
  }

  private async token(
    auth: Extract<WebRequestConfig['auth'], { kind: 'oauth2-client-credentials' }>,
    signal: AbortSignal,
  ): Promise<{ token: string; fromCache: boolean }> {
    const key = this.tokenKey(auth);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.clock.now()) return { token: cached.token, fromCache: true };
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
    });
    if (auth.scope) form.set('scope', auth.scope);
    const response: OutboundResult = await this.http.send(
      {
        method: 'POST',
        url: auth.tokenUrl,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
      },
      signal,
    );
    if (response.kind === 'timeout' || signal.aborted) throw new TimedOut();
    if (response.kind === 'failure') throw new Error(`the token endpoint: ${response.detail}`);
    if (!ok(response.status)) throw new Error(`the token endpoint answered HTTP ${response.status}`);
    let parsed: ReturnType<typeof TokenResponse.safeParse>;
    try {
      parsed = TokenResponse.safeParse(JSON.parse(response.body.toString('utf8')));
    } catch {
      throw new Error('the token endpoint did not answer JSON');
    }
    if (!parsed.success) throw new Error('the token endpoint answered without an access_token');
    const lifetimeMs = (parsed.data.expires_in ?? 300) * 1000;
    this.tokens.set(key, {
      token: parsed.data.access_token,
      expiresAt: this.clock.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS),
    });
    return { token: parsed.data.access_token, fromCache: false };
  }
}

const ok = (status: number) => status >= 200 && status <= 299;
const failure = (status: number | null, detail: string): WebResponse => ({
  kind: 'web-response',
  outcome: 'failure',
  values: {},
  status,
  detail,
});
