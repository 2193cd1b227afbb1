import { z } from 'zod/v4';
import { DisplayName, unitOwned } from './common';

/**
 * An origin pattern: scheme, host and optional port, no path. A leading "*." on the host matches any
 * subdomain at any depth but not the bare domain: "https://*.example.com" allows "https://a.example.com"
 * and "https://a.b.example.com", not "https://example.com".
 */
const ORIGIN_PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

export const OriginPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .refine((s) => ORIGIN_PATTERN.test(s), {
    message: 'must be an origin like https://example.com, https://*.example.com or http://localhost:3978 (no path)',
  })
  .refine(
    (s) => {
      const port = ORIGIN_PATTERN.exec(s)?.[4];
      return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    },
    { message: 'port must be 1-65535' },
  );

/** Interact Domain Template (CORS): a whitelist of sites allowed to embed a widget. */
export const DomainTemplate = unitOwned('domainTemplate').extend({
  name: DisplayName,
  origins: z.array(OriginPattern).min(1).max(100),
});
export type DomainTemplate = z.infer<typeof DomainTemplate>;

const defaultPort = (scheme: string): string => (scheme === 'https' ? '443' : '80');

/** True when a browser Origin header value matches one pattern. */
export function originMatches(origin: string, pattern: string): boolean {
  const p = ORIGIN_PATTERN.exec(pattern.trim().toLowerCase());
  if (!p) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An Origin header is scheme://host[:port] only; anything more is not an origin.
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return false;
  const [, scheme, wildcard, host, port] = p;
  if (url.protocol !== `${scheme}:`) return false;
  if ((url.port || defaultPort(url.protocol.slice(0, -1))) !== (port ?? defaultPort(scheme!))) return false;
  const hostname = url.hostname;
  return wildcard ? hostname.endsWith(`.${host}`) : hostname === host;
}

export function originAllowed(origin: string, templates: readonly Pick<DomainTemplate, 'origins'>[]): boolean {
  return templates.some((t) => t.origins.some((pattern) => originMatches(origin, pattern)));
}
