import { readFileSync } from 'node:fs';
import {
  type ConfigurationServiceClientCredentialFactoryOptions,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { Config } from '../../config';

/** Where the Bot Connector's tokens come from and what they are for (public Azure cloud). */
const LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';
const CONNECTOR_SCOPE = 'https://api.botframework.com';

export type AuthenticateRequestResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
>;

/**
 * Bot Framework authentication from our configuration, both ways: incoming activities carry a JWT the
 * SDK checks (signing keys from the Bot Framework OpenID metadata, issuer, audience = our app id, and
 * the `serviceurl` claim against the activity); outgoing calls carry a token from the Microsoft
 * identity platform, by client secret, certificate or managed identity. Local mode has neither.
 */
export type BotAuth = {
  mode: Config['auth']['mode'];
  /** Checks an incoming request; throws when it is not authentic (in local mode it never throws). */
  authenticate(
    activity: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>[0],
    authorization: string,
  ): Promise<AuthenticateRequestResult>;
  /** A bearer token for the Bot Connector, or undefined in local mode. */
  outboundToken(): Promise<string | undefined>;
  botFrameworkAuthentication: ConfigurationBotFrameworkAuthentication;
};

/** What our configuration means to the SDK's credential factory. */
export function credentialOptions(
  auth: Config['auth'],
  readKey: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): ConfigurationServiceClientCredentialFactoryOptions {
  if (auth.mode === 'local') return {};
  return {
    MicrosoftAppId: auth.appId,
    MicrosoftAppType: auth.type === 'UserAssignedMSI' ? 'UserAssignedMsi' : auth.type,
    ...(auth.tenantId ? { MicrosoftAppTenantId: auth.tenantId } : {}),
    ...(auth.certificate
      ? {
          CertificateThumbprint: auth.certificate.thumbprint,
          CertificatePrivateKey: readKey(auth.certificate.privateKeyFile),
        }
      : auth.password
        ? { MicrosoftAppPassword: auth.password }
        : {}),
  };
}

type TokenSource = { getToken(forceRefresh?: boolean): Promise<string> };
const hasToken = (c: unknown): c is TokenSource =>
  typeof c === 'object' && c !== null && typeof (c as { getToken?: unknown }).getToken === 'function';

export function createBotAuth(auth: Config['auth']): BotAuth {
  const options = credentialOptions(auth);
  const credentialsFactory = new ConfigurationServiceClientCredentialFactory(options);
  const botFrameworkAuthentication = new ConfigurationBotFrameworkAuthentication({ ...options }, credentialsFactory);
  let source: Promise<TokenSource | undefined> | undefined;
  return {
    mode: auth.mode,
    botFrameworkAuthentication,
    authenticate: (activity, authorization) => botFrameworkAuthentication.authenticateRequest(activity, authorization),
    async outboundToken() {
      if (auth.mode === 'local') return undefined;
      // The SDK's credentials cache the token and renew it before it expires.
      source ??= credentialsFactory
        .createCredentials(auth.appId, CONNECTOR_SCOPE, LOGIN_URL, true)
        .then((c: unknown) => (hasToken(c) ? c : undefined));
      const credentials = await source;
      if (!credentials) throw new Error('the bot credentials cannot issue a token');
      return credentials.getToken();
    },
  };
}
