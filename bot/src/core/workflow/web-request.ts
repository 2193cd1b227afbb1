import { z } from 'zod/v4';
import { DisplayName, unitOwned } from '../model/common';
import { type OutboundAllowList, savedUrlHostProblem } from '../net/address';
import { evaluateJsonPath, jsonValueAsText, parseJsonPath } from './json-path';
import { ParameterName, TemplateText } from './schemas';
import {
  type Encoding,
  SYSTEM_FIELDS,
  type TemplateProblem,
  type TemplateValues,
  clipParameter,
  renderTemplate,
  templateParameters,
  templateProblems,
} from './template';

const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');
const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

export const WebRequestAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** A fixed key sent in a header, e.g. "X-Api-Key" or "Authorization". */
  z.object({ kind: z.literal('api-key'), header: HeaderName, value: z.string().min(1).max(2000) }),
  /** OAuth 2.0 client credentials: a token is fetched from the token URL and sent as a Bearer token. */
  z.object({
    kind: z.literal('oauth2-client-credentials'),
    tokenUrl: HttpUrl,
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    scope: z.string().max(1000).nullable().default(null),
  }),
]);
export type WebRequestAuth = z.infer<typeof WebRequestAuth>;

export const ResponseMapping = z.object({ path: z.string().min(1).max(300), parameter: ParameterName });

/**
 * A reusable web request (a configuration item, like a calendar): workflows name it by id, and every
 * workflow that uses it gets the same method, templates, auth, timeout and response mappings.
 */
export const WebRequestConfig = unitOwned('webRequest').extend({
  name: DisplayName,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: TemplateText.min(8),
  headers: z
    .array(z.object({ name: HeaderName, value: TemplateText }))
    .max(30)
    .default([]),
  body: TemplateText.nullable().default(null),
  contentType: z
    .enum(['application/json', 'text/plain', 'application/x-www-form-urlencoded'])
    .default('application/json'),
  auth: WebRequestAuth.default({ kind: 'none' }),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  responseMappings: z.array(ResponseMapping).max(50).default([]),
});
export type WebRequestConfig = z.infer<typeof WebRequestConfig>;

const bodyEncoding = (contentType: WebRequestConfig['contentType']): Encoding =>
  contentType === 'application/json'
    ? 'json-string'
    : contentType === 'application/x-www-form-urlencoded'
      ? 'form'
      : 'text';

export type WebRequestProblem = { field: string; message: string };

/**
 * Problems of a web request's templates and paths. With `declared`, the parameters it reads and writes
 * must be declared by the workflow using it.
 */
export function webRequestProblems(config: WebRequestConfig, declared?: ReadonlySet<string>): WebRequestProblem[] {
  const problems: WebRequestProblem[] = [];
  const check = (field: string, text: string) =>
    problems.push(...templateProblems(text, declared).map((p: TemplateProblem) => ({ field, message: p.message })));
  check('url', config.url);
  config.headers.forEach((h, i) => check(`headers[${i}] (${h.name})`, h.value));
  if (config.body !== null) check('body', config.body);
  // The URL must be http(s) whatever the placeholders hold: only the path and query may be templated,
  // so the host (and port) must end before the first placeholder ("https://api{{param.x}}" could be steered).
  if (!HttpUrl.safeParse(sampleUrl(config)).success || !/^https?:\/\/[^/{}?#]+(?:[/?#]|$)/.test(config.url))
    problems.push({ field: 'url', message: 'must start with http:// or https:// and a fixed host' });
  config.responseMappings.forEach((m, i) => {
    const parsed = parseJsonPath(m.path);
    if (!parsed.ok) problems.push({ field: `responseMappings[${i}]`, message: parsed.refusal });
    if (declared && !declared.has(m.parameter))
      problems.push({
        field: `responseMappings[${i}]`,
        message: `saves to parameter "${m.parameter}", which the workflow does not declare`,
      });
  });
  return problems;
}

/** The URL with every placeholder filled: what its fixed scheme and host are checked on. */
const sampleUrl = (config: WebRequestConfig): string =>
  renderTemplate(config.url, {
    system: Object.fromEntries(SYSTEM_FIELDS.map((f) => [f, 'x'])) as TemplateValues['system'],
    params: Object.fromEntries(templateParameters(config.url).map((p) => [p, 'x'])),
  });

/**
 * Hosts an admin may not save: a URL or token URL naming a non-public IP address, an unusual spelling
 * of an IPv4 address, or localhost, unless the deployment allow-lists it. Names are not resolved here
 * (DNS may answer differently later); every connection is checked again when it is made.
 */
export function webRequestAddressProblems(config: WebRequestConfig, allow: OutboundAllowList): WebRequestProblem[] {
  const problems: WebRequestProblem[] = [];
  const check = (field: string, url: string) => {
    const problem = savedUrlHostProblem(url, allow);
    if (problem !== null) problems.push({ field, message: problem });
  };
  check('url', sampleUrl(config));
  if (config.auth.kind === 'oauth2-client-credentials') check('auth.tokenUrl', config.auth.tokenUrl);
  return problems;
}

/** Parameters a web request reads (in its templates) and writes (from its response). */
export const webRequestReads = (config: WebRequestConfig): string[] =>
  [config.url, ...config.headers.map((h) => h.value), ...(config.body === null ? [] : [config.body])].flatMap(
    templateParameters,
  );
export const webRequestWrites = (config: WebRequestConfig): string[] => config.responseMappings.map((m) => m.parameter);

export type BuiltRequest = {
  method: WebRequestConfig['method'];
  url: string;
  headers: Record<string, string>;
  body: string | null;
};

/** The request to send, with every value inserted as text in the encoding of where it lands. */
export function buildRequest(config: WebRequestConfig, values: TemplateValues): BuiltRequest {
  const headers: Record<string, string> = {};
  for (const h of config.headers) headers[h.name] = renderTemplate(h.value, values, 'header');
  const body =
    config.body === null || config.method === 'GET'
      ? null
      : renderTemplate(config.body, values, bodyEncoding(config.contentType));
  if (body !== null) headers['Content-Type'] = config.contentType;
  if (config.auth.kind === 'api-key') headers[config.auth.header] = config.auth.value;
  return { method: config.method, url: renderTemplate(config.url, values, 'url'), headers, body };
}

export type MappedResponse = { values: Record<string, string>; missing: string[] };

/** Picks the mapped values out of a response body; paths that find nothing leave their parameter alone. */
export function mapResponse(config: WebRequestConfig, body: unknown): MappedResponse {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const m of config.responseMappings) {
    const parsed = parseJsonPath(m.path);
    const found = parsed.ok ? evaluateJsonPath(body, parsed.value) : { found: false as const };
    if (found.found) values[m.parameter] = clipParameter(jsonValueAsText(found.value));
    else missing.push(m.path);
  }
  return { values, missing };
}
