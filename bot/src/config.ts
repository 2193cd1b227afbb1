import path from 'node:path';
import { z } from 'zod/v4';
import { type OutboundAllowList, parseAllowList } from './core/net/address';
import { parseTrustedProxies } from './http/client-address';
import { type Result, ok, refuse } from './core/result';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.string().transform((value, ctx) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
    return z.NEVER;
  });

/** A comma-separated list; empty entries dropped. */
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== ''),
);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const allowList = z.string().transform((value, ctx) => {
  const parsed = parseAllowList(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.refusal });
  return z.NEVER;
});

/** The environment as App Service, Agents Toolkit and a developer's shell set it. */
export const Env = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
    .default('development'),
  PORT: int(0, 65535).default(3978),
  HOST: z.string().min(1).optional(),
  PUBLIC_BASE_URL: httpUrl.optional(),
  /** Proxies whose X-Forwarded-For is believed: addresses, CIDRs, `loopback`, `private`. None by default. */
  TRUSTED_PROXIES: z
    .string()
    .transform((value, ctx) => {
      const entries = value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      const parsed = parseTrustedProxies(entries);
      if (parsed.ok) return entries;
      ctx.addIssue({
        code: 'custom',
        message: `must list addresses, CIDRs, loopback or private; cannot read ${parsed.refusal.join(', ')}`,
      });
      return z.NEVER;
    })
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  AUTH_MODE: z.enum(['local', 'botframework'], { message: 'must be local or botframework' }).default('botframework'),
  COSMOS_ENDPOINT: httpUrl.optional(),
  COSMOS_KEY: z.string().min(1).optional(),
  COSMOS_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, 'may contain only letters, digits, _ and -')
    .default('contactcenter'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** How often a changed embedded store folds its journal into a new snapshot. */
  DATA_SAVE_INTERVAL_SECONDS: int(1, 3600).default(60),
  /** The embedded store's write-ahead journal; off only to measure what it costs (a crash then loses writes). */
  DATA_JOURNAL: bool.default(true),
  /**
   * How long configuration and identity documents (tenant, users, services, templates, messages, Teams
   * conversations) are served from memory: how late a change made on another instance is seen here.
   */
  STORE_CACHE_SECONDS: int(0, 300).default(5),
  /**
   * How often each instance reads the change feed of the chats, routing and config containers when it
   * had nothing new (what other instances wrote reaches this one's streams and caches). 0 turns it off:
   * event streams then read their chat on every heartbeat instead.
   */
  CHANGE_FEED_POLL_MS: int(0, 60_000).default(500),
  /**
   * How often each instance renews its registration in Cosmos (2 requests per renewal) and recounts the
   * live instances, whose number divides the Teams per-conversation limits between them.
   */
  INSTANCE_RENEW_MS: int(500, 60_000).default(5_000),
  DEMO_TENANT: bool.default(true),
  BOT_ID: z.uuid({ message: 'must be the bot app registration id (a GUID)' }).optional(),
  BOT_PASSWORD: z.string().min(1).optional(),
  BOT_TYPE: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
    })
    .default('MultiTenant'),
  BOT_TENANT_ID: z.uuid({ message: 'must be the Entra tenant id (a GUID)' }).optional(),
  /** Certificate credentials instead of BOT_PASSWORD: the certificate's thumbprint and its PEM private key file. */
  BOT_CERTIFICATE_THUMBPRINT: z
    .string()
    .regex(/^[0-9A-Fa-f]{40}$/, 'must be the certificate thumbprint (40 hex digits)')
    .optional(),
  BOT_CERTIFICATE_KEY_FILE: z.string().min(1).optional(),
  ALLOW_EMBEDDED_STORE_IN_PRODUCTION: bool.optional(),
  /** The Entra app registration the Teams tab signs in with (SSO); tab API tokens are issued for it. */
  TAB_SSO_CLIENT_ID: z
    .uuid({ message: 'must be the client id of the tab sign-on app registration (a GUID)' })
    .optional(),
  /** Multiplies the Interact API's rate limits (load tests from one address); 1 in normal operation. */
  INTERACT_RATE_LIMIT_SCALE: int(1, 100_000).default(1),
  /** A website chat whose customer has had no event stream open this long ends as "customer left". */
  CUSTOMER_AWAY_SECONDS: int(1, 86_400).default(120),
  /** A website customer whose page said it is going away (closed, reloaded) and opened no stream this long has left. */
  CUSTOMER_LEAVE_GRACE_SECONDS: int(1, 3600).default(15),
  /** Where Entra publishes its token signing keys (another cloud has another URL). */
  ENTRA_KEYS_URL: httpUrl.default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** The Microsoft identity platform the app signs in at to read Entra ID (a national cloud has its own). */
  ENTRA_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
  /** Microsoft Graph, for importing users from Entra ID (a national cloud has its own). */
  GRAPH_URL: httpUrl.default('https://graph.microsoft.com'),
  /**
   * The app's id in the organization's app catalog (Teams admin center, or Graph appCatalogs/teamsApps):
   * lets the bot install the app for agents proactively. Unset: agents install it themselves.
   */
  TEAMS_APP_CATALOG_ID: z.string().trim().min(1).max(100).optional(),
  /**
   * Agent presence from Teams through Microsoft Graph: `subscribe` (change notifications, needs an https
   * PUBLIC_BASE_URL), `poll` (getPresencesByUserId) or `off`. By default subscribe with an https public
   * URL, poll without one, off in AUTH_MODE=local.
   */
  TEAMS_PRESENCE: z.enum(['off', 'subscribe', 'poll'], { message: 'must be off, subscribe or poll' }).optional(),
  /** Seconds between two presence reads when polling (also the fallback of `subscribe`); 0 disables polling. */
  TEAMS_PRESENCE_POLL_SECONDS: int(0, 3600).default(30),
  /** Which Entra tenants may set themselves up: `own` (BOT_TENANT_ID), `any`, or a list of tenant ids. */
  ONBOARDING_TENANTS: list.optional(),
  /** Who may set up their organization besides its Entra Global Administrators: object ids or UPNs. */
  BOOTSTRAP_ADMINS: list.optional(),
  /** Hosts, *.suffix patterns and CIDRs workflow web requests may reach although they are not public. */
  OUTBOUND_ALLOW: allowList.optional(),
  /** A web request's response larger than this fails without being read further. */
  WEB_REQUEST_MAX_RESPONSE_BYTES: int(1024, 100 * 1024 * 1024).default(1_048_576),
});

type Issue = { variable: string; message: string };

/**
 * Rules between variables. They read the raw values so they are reported together with field errors
 * (a schema-level refinement would be skipped as soon as one field is invalid).
 */
function crossFieldIssues(raw: Record<string, string | undefined>): Issue[] {
  const issues: Issue[] = [];
  const onboarding = (raw.ONBOARDING_TENANTS ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const notTenants = onboarding.filter((t) => t !== 'own' && t !== 'any' && !z.uuid().safeParse(t).success);
  if (notTenants.length > 0)
    issues.push({
      variable: 'ONBOARDING_TENANTS',
      message: `must list Entra tenant ids (GUIDs), own or any; cannot read ${notTenants.join(', ')}`,
    });
  else if (onboarding.includes('own') && !raw.BOT_TENANT_ID)
    issues.push({ variable: 'ONBOARDING_TENANTS', message: 'names own, but BOT_TENANT_ID is not set' });
  if (raw.COSMOS_KEY && !raw.COSMOS_ENDPOINT)
    issues.push({ variable: 'COSMOS_KEY', message: 'is set but COSMOS_ENDPOINT is not' });
  if ((raw.AUTH_MODE ?? 'botframework') === 'botframework') {
    // An unknown BOT_TYPE is reported by its own field; the rules below need a known one.
    const botType = Env.shape.BOT_TYPE.safeParse(raw.BOT_TYPE).data;
    const certificate = Boolean(raw.BOT_CERTIFICATE_THUMBPRINT || raw.BOT_CERTIFICATE_KEY_FILE);
    if (!raw.BOT_ID)
      issues.push({
        variable: 'BOT_ID',
        message: 'is required when AUTH_MODE=botframework (use AUTH_MODE=local for local development)',
      });
    if (certificate && !raw.BOT_CERTIFICATE_THUMBPRINT)
      issues.push({ variable: 'BOT_CERTIFICATE_THUMBPRINT', message: 'is required with BOT_CERTIFICATE_KEY_FILE' });
    if (certificate && !raw.BOT_CERTIFICATE_KEY_FILE)
      issues.push({ variable: 'BOT_CERTIFICATE_KEY_FILE', message: 'is required with BOT_CERTIFICATE_THUMBPRINT' });
    if (certificate && botType === 'UserAssignedMSI')
      issues.push({ variable: 'BOT_CERTIFICATE_THUMBPRINT', message: 'cannot be used with BOT_TYPE=UserAssignedMSI' });
    if (botType && botType !== 'UserAssignedMSI' && !certificate && !raw.BOT_PASSWORD)
      issues.push({ variable: 'BOT_PASSWORD', message: `is required when BOT_TYPE=${botType}` });
    if (botType && botType !== 'MultiTenant' && !raw.BOT_TENANT_ID)
      issues.push({ variable: 'BOT_TENANT_ID', message: `is required when BOT_TYPE=${botType}` });
  }
  return issues;
}

export type StoreConfig =
  | {
      kind: 'embedded';
      database: string;
      /** undefined keeps data in memory only (tests). */ dataDir: string | undefined;
      saveIntervalMs: number;
      /** DATA_JOURNAL (default true) */ journal?: boolean;
      /** ALLOW_EMBEDDED_STORE_IN_PRODUCTION */ allowedInProduction?: boolean;
    }
  | { kind: 'cosmos'; database: string; endpoint: string; key: string | undefined };

export type Config = {
  env: 'development' | 'test' | 'production';
  http: {
    port: number;
    host: string;
    publicBaseUrl: string | undefined;
    /** TRUSTED_PROXIES entries, checked */ trustedProxies: string[];
  };
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  auth:
    | { mode: 'local' }
    | {
        mode: 'botframework';
        appId: string;
        password: string | undefined;
        type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
        tenantId: string | undefined;
        /** Client certificate instead of a secret (BOT_CERTIFICATE_*); the key file is read when the bot starts. */
        certificate?: { thumbprint: string; privateKeyFile: string };
      };
  store: StoreConfig;
  seedDemoTenant: boolean;
  /** STORE_CACHE_SECONDS, in ms: 0 reads every configuration document from the store each time. */
  storeCacheMs: number;
  /** CHANGE_FEED_POLL_MS; 0: no change feed. */
  changeFeedPollMs: number;
  /** INSTANCE_RENEW_MS: the instance registry's renewal interval (the Teams rate-limit budget share). */
  instanceRenewMs: number;
  /** Tab API sign-on: tokens for this client id, checked against these published keys. */
  tabSso: { clientId: string | undefined; keysUrl: string };
  interactRateLimitScale: number;
  /** CUSTOMER_AWAY_SECONDS */
  customerAwaySeconds: number;
  /** CUSTOMER_LEAVE_GRACE_SECONDS */
  customerLeaveGraceSeconds: number;
  /** What the server may call on an admin's behalf (workflow web requests): public addresses and these. */
  outbound: { allow: OutboundAllowList; webRequestMaxResponseBytes: number };
  /** Where the users import signs in and reads the directory: the origins of ENTRA_LOGIN_URL and GRAPH_URL. */
  entra: { loginUrl: string; graphUrl: string };
  /** TEAMS_APP_CATALOG_ID: installing the app for agents through Graph; undefined when not configured. */
  teamsApp: { catalogId: string | undefined };
  /** Who may turn an Entra tenant into a tenant of the product (ONBOARDING_TENANTS, BOOTSTRAP_ADMINS). */
  onboarding: OnboardingPolicy;
  /**
   * Teams presence (TEAMS_PRESENCE, TEAMS_PRESENCE_POLL_SECONDS): how it is learned, after the fallback
   * (subscribe without a reachable https PUBLIC_BASE_URL polls), and the poll interval (0: no polling).
   */
  teamsPresence: { mode: TeamsPresenceMode; pollSeconds: number };
};

export type TeamsPresenceMode = 'off' | 'subscribe' | 'poll';

export type OnboardingPolicy = {
  /** Entra tenants that may onboard: any (local development, or explicitly), or these ids. */
  tenants: 'any' | string[];
  /** Object ids or UPNs (lower case) that may onboard their tenant without being Global Administrators. */
  bootstrapAdmins: string[];
};

export type ConfigResult = Result<Config, { variable: string; message: string }[]>;

/** Parses the environment. Empty values count as unset, as App Service leaves them. */
export function loadConfig(environment: NodeJS.ProcessEnv, cwd = process.cwd()): ConfigResult {
  const keys = Object.keys(Env.shape);
  const raw: Record<string, string | undefined> = Object.fromEntries(
    keys.map((k) => [k, environment[k]]).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = Env.safeParse(raw);
  const fieldIssues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const variable = String(i.path[0] ?? '(environment)');
        const value = raw[variable];
        const shown = value === undefined || /KEY|PASSWORD/.test(variable) ? '' : ` (got "${value}")`;
        return { variable, message: `${i.message}${shown}` };
      });
  // One message per variable: a malformed value is reported before a rule that depends on it.
  const errors = [...fieldIssues, ...crossFieldIssues(raw)].filter(
    (issue, i, all) => all.findIndex((o) => o.variable === issue.variable) === i,
  );
  if (!parsed.success || errors.length > 0) return refuse(errors);
  const e = parsed.data;
  // Local mode without authentication listens on loopback only; anything else on all interfaces (App Service).
  const host = e.HOST ?? (e.AUTH_MODE === 'local' ? '127.0.0.1' : '0.0.0.0');
  return ok({
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
      trustedProxies: e.TRUSTED_PROXIES ?? [],
    },
    logLevel: e.LOG_LEVEL,
    auth:
      e.AUTH_MODE === 'local'
        ? { mode: 'local' }
        : {
            mode: 'botframework',
            appId: e.BOT_ID!,
            password: e.BOT_PASSWORD,
            type: e.BOT_TYPE,
            tenantId: e.BOT_TENANT_ID,
            certificate:
              e.BOT_CERTIFICATE_THUMBPRINT && e.BOT_CERTIFICATE_KEY_FILE
                ? {
                    thumbprint: e.BOT_CERTIFICATE_THUMBPRINT,
                    privateKeyFile: path.resolve(cwd, e.BOT_CERTIFICATE_KEY_FILE),
                  }
                : undefined,
          },
    store: e.COSMOS_ENDPOINT
      ? { kind: 'cosmos', database: e.COSMOS_DATABASE, endpoint: e.COSMOS_ENDPOINT, key: e.COSMOS_KEY }
      : {
          kind: 'embedded',
          database: e.COSMOS_DATABASE,
          dataDir: path.resolve(cwd, e.DATA_DIR),
          saveIntervalMs: e.DATA_SAVE_INTERVAL_SECONDS * 1000,
          journal: e.DATA_JOURNAL,
          allowedInProduction: e.ALLOW_EMBEDDED_STORE_IN_PRODUCTION,
        },
    seedDemoTenant: e.DEMO_TENANT,
    storeCacheMs: e.STORE_CACHE_SECONDS * 1000,
    changeFeedPollMs: e.CHANGE_FEED_POLL_MS,
    instanceRenewMs: e.INSTANCE_RENEW_MS,
    tabSso: { clientId: e.TAB_SSO_CLIENT_ID, keysUrl: e.ENTRA_KEYS_URL },
    interactRateLimitScale: e.INTERACT_RATE_LIMIT_SCALE,
    customerAwaySeconds: e.CUSTOMER_AWAY_SECONDS,
    customerLeaveGraceSeconds: e.CUSTOMER_LEAVE_GRACE_SECONDS,
    outbound: { allow: e.OUTBOUND_ALLOW ?? [], webRequestMaxResponseBytes: e.WEB_REQUEST_MAX_RESPONSE_BYTES },
    entra: { loginUrl: new URL(e.ENTRA_LOGIN_URL).origin, graphUrl: new URL(e.GRAPH_URL).origin },
    teamsApp: { catalogId: e.TEAMS_APP_CATALOG_ID },
    onboarding: onboardingPolicy(e),
    teamsPresence: { mode: teamsPresenceMode(e), pollSeconds: e.TEAMS_PRESENCE_POLL_SECONDS },
  });
}

/**
 * Change notifications need a URL Graph can reach: https, and not this machine. Without one a
 * subscription cannot be validated, so presence is polled instead. Local mode has no app credentials.
 */
function teamsPresenceMode(e: z.infer<typeof Env>): TeamsPresenceMode {
  if (e.AUTH_MODE === 'local' || e.TEAMS_PRESENCE === 'off') return 'off';
  const reachable = notificationsReachable(e.PUBLIC_BASE_URL);
  if (e.TEAMS_PRESENCE === 'poll') return 'poll';
  return reachable ? 'subscribe' : 'poll';
}

/** Whether Graph could call back to this base URL: https on a host other than the local machine. */
export function notificationsReachable(publicBaseUrl: string | undefined): boolean {
  if (!publicBaseUrl) return false;
  const url = new URL(publicBaseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'https:' && host !== 'localhost' && host !== '127.0.0.1' && host !== '::1';
}

/**
 * A single-tenant bot onboards its own tenant; a multi-tenant one only what ONBOARDING_TENANTS names
 * (`any` explicitly). Locally, without Entra, any tenant may (the dev sign-in decides who is who).
 */
function onboardingPolicy(e: z.infer<typeof Env>): OnboardingPolicy {
  const bootstrapAdmins = (e.BOOTSTRAP_ADMINS ?? []).map((a) => a.toLowerCase());
  const listed = e.ONBOARDING_TENANTS;
  if (listed?.some((t) => t.toLowerCase() === 'any')) return { tenants: 'any', bootstrapAdmins };
  const own = e.BOT_TENANT_ID ? [e.BOT_TENANT_ID.toLowerCase()] : [];
  if (listed) {
    const tenants = listed.flatMap((t) => (t.toLowerCase() === 'own' ? own : [t.toLowerCase()]));
    return { tenants, bootstrapAdmins };
  }
  if (e.AUTH_MODE === 'local') return { tenants: 'any', bootstrapAdmins };
  return { tenants: e.BOT_TYPE === 'MultiTenant' ? [] : own, bootstrapAdmins };
}

export function formatConfigErrors(errors: { variable: string; message: string }[]): string {
  return ['Invalid configuration:', ...errors.map((e) => `  ${e.variable} ${e.message}`)].join('\n');
}
