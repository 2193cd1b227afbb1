import { type JsonWebKey, createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Request } from 'restify';
import { z } from 'zod/v4';
import { Id, type Tenant, type User } from '../../core/model';
import { HttpError } from '../../http/errors';
import type { AccountService } from '../../services/accounts/account-service';
import type { Signer } from '../../services/accounts/onboarding';
import { mailOf } from '../../services/accounts/provisioning';

/** Who calls the tab API. Tenant and user come from the verified token, never from the request. */
export type Principal = {
  tenantId: string;
  userId: string;
  name: string;
  isAdmin: boolean;
  tenant: Tenant;
  user: User;
};

/** Entra's role template id of Global Administrator, carried in the optional `wids` claim. */
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const DEV_ISSUER = 'contact-center-local-sign-in';

const Claims = z.object({
  // Both become store ids: anything else cannot name one of our tenants or users.
  tid: Id,
  oid: Id,
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  wids: z.array(z.string()).optional(),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
});

const Jwks = z.object({
  keys: z.array(
    z
      .object({
        kid: z.string(),
        kty: z.string(),
        n: z.string().optional(),
        e: z.string().optional(),
        x5c: z.array(z.string()).optional(),
      })
      .passthrough(),
  ),
});

const unauthorized = (message: string, reason: string) => new HttpError(401, 'unauthenticated', message, { reason });

/**
 * Entra's published signing keys, cached by key id. An unknown key id refetches the set (key rollover),
 * at most once a minute so forged key ids cannot make us hammer the endpoint.
 */
export class SigningKeys {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;

  constructor(
    private readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(kid: string): Promise<KeyObject | undefined> {
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.now() - this.fetchedAt < 60_000 && this.keys.size > 0) return undefined;
    await this.refresh();
    return this.keys.get(kid);
  }

  /** Fetches the key set; when Entra cannot be reached, sign-in is unavailable (503), not broken (500). */
  private async refresh(): Promise<void> {
    this.fetchedAt = this.now();
    let keys: z.infer<typeof Jwks>['keys'];
    try {
      const res = await fetch(this.url, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      keys = Jwks.parse(await res.json()).keys;
    } catch (err) {
      throw new HttpError(
        503,
        'sign-in-unavailable',
        'Sign-in cannot be checked right now. Try again in a minute.',
        { reason: err instanceof Error ? err.message : String(err) },
        { 'retry-after': '30' },
      );
    }
    const next = new Map<string, KeyObject>();
    for (const key of keys) {
      if (key.kty !== 'RSA') continue;
      try {
        next.set(key.kid, createPublicKey({ key: key as unknown as JsonWebKey, format: 'jwk' }));
      } catch {
        // A key we cannot read cannot have signed a token we accept.
      }
    }
    this.keys = next;
  }
}

export type TabAuthOptions =
  | { mode: 'entra'; clientId: string; keys: SigningKeys }
  /** Local development: tokens from the dev sign-in, signed with a key kept in the store. */
  | { mode: 'local'; devSecret: string };

/** Verifies tab API bearer tokens and resolves them to a principal of our own data. */
export class TabAuth {
  constructor(
    private readonly accounts: Pick<AccountService, 'signedIn' | 'provision'>,
    private readonly options: TabAuthOptions,
  ) {}

  get mode(): TabAuthOptions['mode'] {
    return this.options.mode;
  }

  /**
   * Issues a dev sign-in token (local mode only). `globalAdmin` gives it Entra's Global Administrator
   * role, as a real admin's token carries it: what setting up an organization locally needs.
   */
  issueDevToken(
    tenantId: string,
    user: Pick<User, 'id' | 'displayName'>,
    extra: { globalAdmin?: boolean; upn?: string } = {},
  ): string {
    if (this.options.mode !== 'local') throw new Error('dev sign-in exists only in local mode');
    const claims = {
      tid: tenantId,
      oid: user.id,
      name: user.displayName,
      ...(extra.upn ? { preferred_username: extra.upn } : {}),
      ...(extra.globalAdmin ? { wids: [GLOBAL_ADMIN_ROLE] } : {}),
    };
    return jwt.sign(claims, this.options.devSecret, {
      algorithm: 'HS256',
      issuer: DEV_ISSUER,
      audience: DEV_ISSUER,
      expiresIn: '12h',
    });
  }

  /** Who the verified token names, whether or not their organization is set up. */
  async signer(req: Request): Promise<Signer> {
    const header = req.header('authorization') ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized('Sign in to use this app.', 'missing-token');
    const claims = this.options.mode === 'local' ? this.verifyDev(token) : await this.verifyEntra(token, this.options);
    const upn = claims.preferred_username?.toLowerCase() ?? null;
    return {
      tenantId: claims.tid,
      userId: claims.oid,
      displayName: claims.name ?? claims.preferred_username ?? claims.oid,
      email: mailOf(claims.preferred_username),
      upn,
      isGlobalAdmin: (claims.wids ?? []).includes(GLOBAL_ADMIN_ROLE),
    };
  }

  /**
   * The principal of a tab API call. A person of a set-up organization who has no user record yet
   * becomes a user on their first call (no licenses; admins assign them).
   */
  async authenticate(req: Request): Promise<Principal> {
    const signer = await this.signer(req);
    const { tenant, user: known } = await this.accounts.signedIn(signer.tenantId, signer.userId);
    if (!tenant)
      throw new HttpError(
        403,
        'tenant-not-set-up',
        'Your organization has not been set up for this app yet. An administrator sets it up in the Admin tab.',
      );
    const user = known ?? (await this.accounts.provision(tenant, signer)).user;
    const isAdmin = tenant.adminUserIds.includes(user.id) || signer.isGlobalAdmin;
    return { tenantId: tenant.id, userId: user.id, name: signer.displayName, isAdmin, tenant, user };
  }

  private verifyDev(token: string): z.infer<typeof Claims> {
    if (this.options.mode !== 'local') throw new Error('unreachable');
    try {
      return Claims.parse(
        jwt.verify(token, this.options.devSecret, { algorithms: ['HS256'], issuer: DEV_ISSUER, audience: DEV_ISSUER }),
      );
    } catch {
      throw unauthorized('Your sign-in is not valid. Sign in again.', 'invalid-token');
    }
  }

  private async verifyEntra(
    token: string,
    options: Extract<TabAuthOptions, { mode: 'entra' }>,
  ): Promise<z.infer<typeof Claims>> {
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded && typeof decoded === 'object' ? decoded.header.kid : undefined;
    if (!decoded || !kid || decoded.header.alg !== 'RS256')
      throw unauthorized('Your sign-in is not valid. Sign in again.', 'malformed');
    const key = await options.keys.get(kid);
    if (!key) throw unauthorized('Your sign-in is not valid. Sign in again.', 'unknown-key');
    let verified: unknown;
    try {
      // The audience is our app: its client id, or its Application ID URI (api://<domain>/<client id>).
      verified = jwt.verify(token, key, {
        algorithms: ['RS256'],
        audience: [options.clientId, new RegExp(`^api://[^/]+/${options.clientId}$`)],
        clockTolerance: 60,
      });
    } catch (err) {
      const reason =
        err instanceof jwt.TokenExpiredError
          ? 'expired'
          : /audience/.test((err as Error).message)
            ? 'wrong-audience'
            : 'invalid-signature';
      throw unauthorized(
        reason === 'expired' ? 'Your sign-in has expired. Sign in again.' : 'Your sign-in is not valid. Sign in again.',
        reason,
      );
    }
    const claims = Claims.safeParse(verified);
    if (!claims.success) throw unauthorized('Your sign-in is not valid. Sign in again.', 'missing-claims');
    // Multi-tenant app: the issuer must be the token's own tenant (v2 or v1 form).
    const issuers = [
      `https://login.microsoftonline.com/${claims.data.tid}/v2.0`,
      `https://sts.windows.net/${claims.data.tid}/`,
    ];
    if (!issuers.includes(claims.data.iss))
      throw unauthorized('Your sign-in is not valid. Sign in again.', 'wrong-issuer');
    return claims.data;
  }
}

/** The configured sign-on, or the 503 that says it is missing (TAB_SSO_CLIENT_ID unset outside local mode). */
export function configured(auth: TabAuth | undefined): TabAuth {
  if (!auth)
    throw new HttpError(
      503,
      'sign-on-not-configured',
      'Sign-on for the tab is not configured on this server (TAB_SSO_CLIENT_ID).',
    );
  return auth;
}

/** The caller, who must be an admin of their tenant (403 otherwise). */
export function adminOf(auth: TabAuth | undefined): (req: Request) => Promise<Principal> {
  return async (req) => {
    const principal = await configured(auth).authenticate(req);
    if (!principal.isAdmin) throw new HttpError(403, 'admin-only', 'Only tenant admins can do this.');
    return principal;
  };
}
