import type { App } from '../../bot/src/app';

/** A call to the tab's API (`/api/v1…`) as the holder of `bearer`. */
export const tabCall = (app: App, method: string, path: string, bearer: string, body?: unknown) =>
  fetch(`${app.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The local sign-in of the tab (local auth mode only), as its page calls it. */
export const devSignInRequest = (app: App, tenantId: string, userId: string) =>
  fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId, userId }),
  });

/** The tab's bearer token for a user, from the local sign-in. */
export const devSignIn = async (app: App, tenantId: string, userId: string): Promise<string> =>
  ((await (await devSignInRequest(app, tenantId, userId)).json()) as { token: string }).token;
