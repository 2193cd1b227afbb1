import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AccessToken, ManagedIdentityCredential } from '@azure/identity';
import jwt from 'jsonwebtoken';
import type { Config } from '../../config';
import { TokenAnswer, retryAfterMs, tokenErrorText } from '../../core/directory';
import { type Result, ok, refuse } from '../../core/result';
import { SendFailure } from '../delivery';
import type { GuardedHttp, OutboundResult } from '../net/guarded-http';
import type { Clock } from '../routing/clock';
import { answerOf, ok2xx } from './answer';

/** How the app proves itself to the identity platform: the bot's own app registration. */
export type AppCredentials =
  | { kind: 'secret'; appId: string; secret: string }
  | { kind: 'certificate'; appId: string; thumbprint: string; privateKeyFile: string }
  /** BOT_TYPE=UserAssignedMSI: BOT_ID is the managed identity's client id; it reads its own tenant only. */
  | { kind: 'managed-identity'; clientId: string; tenantId: string | undefined };

const NEEDS =
  "Importing from Entra ID needs the app's credentials: run with AUTH_MODE=botframework and the bot's app registration (BOT_ID with BOT_PASSWORD, a certificate, or BOT_TYPE=UserAssignedMSI).";

/** The credentials the configuration holds, or the sentence an admin reads when there are none. */
export function appCredentials(auth: Config['auth']): Result<AppCredentials, string> {
  if (auth.mode === 'local') return refuse(`${NEEDS} This server runs with AUTH_MODE=local, without them.`);
  if (auth.type === 'UserAssignedMSI')
    return ok({ kind: 'managed-identity', clientId: auth.appId, tenantId: auth.tenantId });
  if (auth.certificate)
    return ok({
      kind: 'certificate',
      appId: auth.appId,
      thumbprint: auth.certificate.thumbprint,
      privateKeyFile: auth.certificate.privateKeyFile,
    });
  if (auth.password) return ok({ kind: 'secret', appId: auth.appId, secret: auth.password });
  return refuse(`${NEEDS} This server has no client secret or certificate configured.`);
}

/** Bearer tokens for Microsoft Graph, per customer tenant. Failures are `SendFailure`s the delivery lane retries or not. */
export type GraphTokens = {
  token(tenantId: string, signal: AbortSignal): Promise<string>;
  /** Drops a cached token Graph no longer takes (401). */
  forget(tenantId: string): void;
  /** Why this tenant's directory cannot be read with these credentials at all; undefined when it can. */
  refusalFor(tenantId: string): string | undefined;
};

/** A token is renewed this long before it expires, so a long sync never sends an expired one. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * Client credentials (secret or certificate) at `{login}/{tenant}/oauth2/v2.0/token`, cached per tenant
 * until shortly before they expire; concurrent callers of one tenant share one request.
 */
export class ClientCredentialTokens implements GraphTokens {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly credentials: Exclude<AppCredentials, { kind: 'managed-identity' }>,
    private readonly endpoints: { loginUrl: string; scope: string },
    private readonly http: Pick<GuardedHttp, 'send'>,
    private readonly clock: Clock,
    private readonly readKey: (file: string) => string = (file) => readFileSync(file, 'utf8'),
  ) {}

  refusalFor(): string | undefined {
    return undefined;
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  token(tenantId: string, signal: AbortSignal): Promise<string> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > this.clock.now()) return Promise.resolve(cached.token);
    const inFlight = this.pending.get(tenantId);
    if (inFlight) return inFlight;
    const request = this.request(tenantId, signal).finally(() => this.pending.delete(tenantId));
    this.pending.set(tenantId, request);
    return request;
  }

  private async request(tenantId: string, signal: AbortSignal): Promise<string> {
    const url = `${this.endpoints.loginUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      client_id: this.credentials.appId,
      scope: this.endpoints.scope,
      grant_type: 'client_credentials',
    });
    if (this.credentials.kind === 'secret') form.set('client_secret', this.credentials.secret);
    else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', this.assertion(url));
    }
    const response = await this.http.send(
      {
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
      },
      signal,
    );
    const answer = this.read(response);
    this.cache.set(tenantId, {
      token: answer.access_token,
      expiresAt: this.clock.now() + Math.max(0, (answer.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS),
    });
    return answer.access_token;
  }

  private read(response: OutboundResult): TokenAnswer {
    const { status, body, headers } = answerOf(response, {
      timeout: 'Entra ID did not answer the sign-in of the app in time.',
      unreachable: (detail) => `Entra ID could not be reached to sign the app in (${detail}).`,
    });
    if (!ok2xx(status)) {
      const said = tokenErrorText(body) ?? `HTTP ${status}`;
      throw new SendFailure({
        status: status,
        retryAfterMs: retryAfterMs(headers['retry-after'], this.clock.now()),
        code: 'sign-in-refused',
        message: `Entra ID refused to sign the app in for this organization: ${said} Check the app's credentials and that an administrator of the organization has consented to the app.`,
      });
    }
    const parsed = TokenAnswer.safeParse(body);
    if (!parsed.success)
      throw new SendFailure({ status: status, message: 'Entra ID answered without a token.', final: true });
    return parsed.data;
  }

  /** A certificate's client assertion: a short-lived JWT for the token endpoint, signed with the private key. */
  private assertion(audience: string): string {
    if (this.credentials.kind !== 'certificate') throw new Error('only certificate credentials sign assertions');
    const now = Math.floor(this.clock.now() / 1000);
    const x5t = Buffer.from(this.credentials.thumbprint, 'hex').toString('base64url');
    return jwt.sign(
      {
        aud: audience,
        iss: this.credentials.appId,
        sub: this.credentials.appId,
        jti: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + 600,
      },
      this.readKey(this.credentials.privateKeyFile),
      { algorithm: 'RS256', header: { alg: 'RS256', typ: 'JWT', x5t }, noTimestamp: true },
    );
  }
}

type TokenCredential = {
  getToken(scope: string, options?: { abortSignal?: AbortSignal }): Promise<AccessToken | null>;
};

/** A user-assigned managed identity (`@azure/identity`, which caches and renews its tokens): its own tenant only. */
export class ManagedIdentityTokens implements GraphTokens {
  private credential: TokenCredential | undefined;

  constructor(
    private readonly credentials: Extract<AppCredentials, { kind: 'managed-identity' }>,
    private readonly scope: string,
    credential?: TokenCredential,
  ) {
    this.credential = credential;
  }

  refusalFor(tenantId: string): string | undefined {
    const home = this.credentials.tenantId;
    if (home === undefined || home.toLowerCase() === tenantId.toLowerCase()) return undefined;
    return "Importing from Entra ID with a managed identity (BOT_TYPE=UserAssignedMSI) reads only the directory of the bot's own tenant (BOT_TENANT_ID).";
  }

  forget(): void {
    // The SDK renews on its own.
  }

  async token(_tenantId: string, signal: AbortSignal): Promise<string> {
    this.credential ??= new ManagedIdentityCredential({ clientId: this.credentials.clientId });
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.scope, { abortSignal: signal });
    } catch (err) {
      throw new SendFailure({
        status: undefined,
        message: `The managed identity could not get a token for Microsoft Graph: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    if (!token)
      throw new SendFailure({ status: undefined, message: 'The managed identity returned no token.', final: true });
    return token.token;
  }
}

/** The token source for these credentials. */
export function graphTokens(
  credentials: AppCredentials,
  endpoints: { loginUrl: string; scope: string },
  http: Pick<GuardedHttp, 'send'>,
  clock: Clock,
): GraphTokens {
  return credentials.kind === 'managed-identity'
    ? new ManagedIdentityTokens(credentials, endpoints.scope)
    : new ClientCredentialTokens(credentials, endpoints, http, clock);
}
