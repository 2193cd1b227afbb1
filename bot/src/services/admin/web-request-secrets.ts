import type { WebRequestConfig } from '../../core/workflow';

/** What the admin API shows instead of a stored secret; sent back unchanged, it keeps the stored one. */
export const REDACTED = '********';

export type FieldProblem = { field: string; message: string };

/** A web request as the admin pages see it: the API key and the OAuth2 client secret are never shown. */
export function redactWebRequest(config: WebRequestConfig): WebRequestConfig {
  const { _etag: _e, _ts: _t, ...rest } = config as WebRequestConfig & { _etag?: string; _ts?: number };
  const auth =
    rest.auth.kind === 'api-key'
      ? { ...rest.auth, value: REDACTED }
      : rest.auth.kind === 'oauth2-client-credentials'
        ? { ...rest.auth, clientSecret: REDACTED }
        : rest.auth;
  return { ...rest, auth };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const kept = (value: unknown) => value === undefined || value === REDACTED;
/** The fixed scheme and host of a URL template: a stored key is only ever sent where it was sent before. */
const fixedOrigin = (url: unknown) =>
  typeof url === 'string' ? /^https?:\/\/[^/{}?#]+/i.exec(url)?.[0]?.toLowerCase() : undefined;

/**
 * An edited web request with its redacted (or left out) secret replaced by the stored one. The stored
 * secret is kept only while it goes to the same place: the same header and host for an API key, the
 * same token URL and client id for OAuth2; otherwise the admin is asked to enter it again.
 */
export function keepStoredSecret(
  input: Record<string, unknown>,
  stored: WebRequestConfig | undefined,
): { input: Record<string, unknown>; problems: FieldProblem[] } {
  const auth = input.auth;
  if (!isRecord(auth)) return { input, problems: [] };
  const storedAuth = stored?.auth;
  if (auth.kind === 'api-key' && kept(auth.value)) {
    if (
      storedAuth?.kind === 'api-key' &&
      storedAuth.header === auth.header &&
      fixedOrigin(stored?.url) === fixedOrigin(input.url)
    )
      return { input: { ...input, auth: { ...auth, value: storedAuth.value } }, problems: [] };
    const message =
      storedAuth?.kind === 'api-key'
        ? 'Enter the API key again: the header or the host of the URL changed.'
        : 'Enter the API key: none is stored for this web request yet.';
    return { input: { ...input, auth: { ...auth, value: REDACTED } }, problems: [{ field: 'auth.value', message }] };
  }
  if (auth.kind === 'oauth2-client-credentials' && kept(auth.clientSecret)) {
    if (
      storedAuth?.kind === 'oauth2-client-credentials' &&
      storedAuth.tokenUrl === auth.tokenUrl &&
      storedAuth.clientId === auth.clientId
    )
      return { input: { ...input, auth: { ...auth, clientSecret: storedAuth.clientSecret } }, problems: [] };
    const message =
      storedAuth?.kind === 'oauth2-client-credentials'
        ? 'Enter the client secret again: the token URL or the client id changed.'
        : 'Enter the client secret: none is stored for this web request yet.';
    return {
      input: { ...input, auth: { ...auth, clientSecret: REDACTED } },
      problems: [{ field: 'auth.clientSecret', message }],
    };
  }
  return { input, problems: [] };
}
