import { type Result, ok, refuse } from '../result';
/**
 * Which addresses the server may call on an admin's behalf (workflow web requests, their OAuth2 token
 * URLs). Only public addresses are allowed unless the deployment allow-lists more: otherwise an admin
 * could make the server call itself, the embedded Cosmos port, the cloud metadata service
 * (169.254.169.254) or the private network it runs in. Pure: resolving names is the caller's job.
 */

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export type Ip = { version: 4 | 6; bytes: readonly number[] };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Strict dotted-decimal IPv4 only ("127.0.0.1"; no "0x7f.1", "2130706433" or "0177.0.0.1"): the odd
 * spellings are the URL parser's business (it canonicalises them), so here they are simply not IPs.
 */
function parseIpv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map((p) => (p.length > 1 && p.startsWith('0') ? Number.NaN : Number(p)));
  return parts.every((n) => n >= 0 && n <= 255) ? parts : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  // A zone ("fe80::1%eth0") names an interface, not another address.
  let rest = text.split('%')[0]!;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  // A dotted IPv4 tail ("::ffff:127.0.0.1") stands for the last two groups.
  let tail: number[] = [];
  if (rest.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(rest.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    rest = rest.slice(0, lastColon + 1);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const width = tail.length > 0 ? 6 : 8;
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0]!);
  const back = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const all = [...head, ...back];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  if (halves.length === 1 ? all.length !== width : all.length > width - 1) return undefined;
  const groups =
    halves.length === 2 ? [...head, ...Array.from({ length: width - all.length }, () => '0'), ...back] : head;
  return [...groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]), ...tail];
}

/** An IP address in its usual text forms (IPv6 with or without brackets), or undefined for anything else. */
export function parseIp(text: string): Ip | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4) return { version: 4, bytes: v4 };
  if (!bare.includes(':')) return undefined;
  const v6 = parseIpv6(bare);
  return v6 ? { version: 6, bytes: v6 } : undefined;
}

/** An address range: the first `prefix` bits of `bytes`. */
export type Cidr = { version: 4 | 6; bytes: readonly number[]; prefix: number };

function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, ...more] = text.split('/');
  if (more.length > 0 || address === undefined) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...ip, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { ...ip, prefix: Number(prefixText) };
}

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in range ${text}`);
  return parsed;
};

function inCidr(ip: Ip, range: Cidr): boolean {
  if (ip.version !== range.version) return false;
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const take = Math.min(8, range.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((ip.bytes[bit / 8] ?? 0) & mask) !== ((range.bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** IANA's special-purpose IPv4 ranges: nothing in them is a public service on the internet. */
const IPV4_NOT_PUBLIC: [Cidr, string][] = [
  [cidr('0.0.0.0/8'), '"this network"'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'shared address space (CGNAT)'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local, cloud metadata'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'IETF protocol assignments'],
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.88.99.0/24'), '6to4 relay'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'benchmarking'],
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('255.255.255.255/32'), 'broadcast'],
  [cidr('240.0.0.0/4'), 'reserved'],
];

/** IPv6 forms that carry an IPv4 address, judged by that address: where a packet really goes. */
const IPV6_EMBEDDING_V4: [Cidr, number, string][] = [
  [cidr('::ffff:0:0/96'), 12, 'IPv4-mapped'],
  [cidr('64:ff9b::/96'), 12, 'NAT64'],
  [cidr('2002::/16'), 2, '6to4'],
];

const IPV6_NOT_PUBLIC: [Cidr, string][] = [
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  [cidr('64:ff9b:1::/48'), 'local NAT64'],
  [cidr('100::/64'), 'discard-only'],
  [cidr('2001::/23'), 'IETF protocol assignments (Teredo, benchmarking)'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('3fff::/20'), 'documentation'],
  [cidr('fc00::/7'), 'unique local'],
  [cidr('fe80::/10'), 'link-local'],
  [cidr('fec0::/10'), 'site-local'],
  [cidr('ff00::/8'), 'multicast'],
];
/** Only global unicast is public; everything else outside it is reserved (IPv4-compatible ::/96 included). */
const IPV6_GLOBAL_UNICAST = cidr('2000::/3');

const v4Text = (bytes: readonly number[]) => bytes.join('.');

/** Why an address is not public (e.g. "loopback"), or null when it is. */
export function nonPublicRange(ip: Ip): string | null {
  if (ip.version === 4) return IPV4_NOT_PUBLIC.find(([range]) => inCidr(ip, range))?.[1] ?? null;
  for (const [range, at, name] of IPV6_EMBEDDING_V4) {
    if (!inCidr(ip, range)) continue;
    const v4 = ip.bytes.slice(at, at + 4);
    const inner = nonPublicRange({ version: 4, bytes: v4 });
    return inner === null ? null : `${name} ${v4Text(v4)}: ${inner}`;
  }
  const named = IPV6_NOT_PUBLIC.find(([range]) => inCidr(ip, range))?.[1];
  if (named) return named;
  return inCidr(ip, IPV6_GLOBAL_UNICAST) ? null : 'reserved';
}

/** Whether a text is an IP address on the public internet; anything that is not an IP is not. */
export const isPublicAddress = (text: string): boolean => {
  const ip = parseIp(text);
  return ip !== undefined && nonPublicRange(ip) === null;
};

// ---- the deployment's allow-list (OUTBOUND_ALLOW)

export type AllowEntry =
  { kind: 'cidr'; range: Cidr; text: string } | { kind: 'host'; name: string } | { kind: 'suffix'; suffix: string };
/** Hosts, `*.suffix` patterns and CIDRs a deployment allows in addition to public addresses. */
export type OutboundAllowList = readonly AllowEntry[];

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower case, without brackets and without the trailing dot of a fully qualified name. */
export const normalizeHost = (host: string): string => {
  const lower = host.toLowerCase();
  if (lower.startsWith('[') && lower.endsWith(']')) return lower.slice(1, -1);
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
};

/**
 * Parses a comma-separated allow-list: "crm.internal, *.corp.example, 10.20.0.0/16, fd00::/8, 127.0.0.1".
 * A `*.suffix` pattern matches names below the suffix, not the suffix itself.
 */
export function parseAllowList(text: string): Result<OutboundAllowList, string> {
  const list: AllowEntry[] = [];
  for (const raw of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const range = parseCidr(raw);
    if (range) {
      list.push({ kind: 'cidr', range, text: raw });
      continue;
    }
    const name = normalizeHost(raw);
    if (name.startsWith('*.') && HOST_NAME.test(name.slice(2))) list.push({ kind: 'suffix', suffix: name.slice(1) });
    else if (HOST_NAME.test(name) && !/^[\d.]+$/.test(name)) list.push({ kind: 'host', name });
    else return refuse(`"${raw}" is neither a host name, a *.suffix pattern nor an IP address or CIDR`);
  }
  return ok(list);
}

/** Whether the allow-list names this host (exactly or by a `*.suffix` pattern). */
export function allowsName(list: OutboundAllowList, host: string): boolean {
  const name = normalizeHost(host);
  return list.some(
    (e) =>
      (e.kind === 'host' && e.name === name) ||
      (e.kind === 'suffix' && name.endsWith(e.suffix) && name.length > e.suffix.length),
  );
}

/** Whether an allow-listed CIDR holds this address; an IPv4-mapped IPv6 address also matches IPv4 ranges. */
export function allowsAddress(list: OutboundAllowList, ip: Ip): boolean {
  const mapped =
    ip.version === 6 && inCidr(ip, IPV6_EMBEDDING_V4[0]![0])
      ? ({ version: 4, bytes: ip.bytes.slice(12) } as const)
      : undefined;
  return list.some(
    (e) => e.kind === 'cidr' && (inCidr(ip, e.range) || (mapped !== undefined && inCidr(mapped, e.range))),
  );
}

// ---- verdicts on a request's target

const isLocalhostName = (name: string) => name === 'localhost' || name.endsWith('.localhost');

/**
 * What to do about a URL's host, taken as WHATWG URL parsing leaves it (`new URL(u).hostname`), so
 * "2130706433", "0x7f.1" and "0177.0.0.1" arrive here as 127.0.0.1:
 * - an IP literal is allowed or refused now (no name is resolved for it);
 * - a name is refused now if it is localhost, else its addresses are checked once resolved, unless the
 *   allow-list names it (then any address it resolves to is trusted).
 */
export type HostVerdict =
  | { kind: 'refused'; detail: string }
  | { kind: 'address'; address: string; version: 4 | 6 }
  | { kind: 'name'; name: string; trusted: boolean };

export function hostVerdict(hostname: string, list: OutboundAllowList): HostVerdict {
  const host = normalizeHost(hostname);
  const ip = parseIp(host);
  if (ip) {
    const refused = addressRefusal(host, list);
    return refused === null
      ? { kind: 'address', address: host, version: ip.version }
      : { kind: 'refused', detail: refused };
  }
  if (host === '') return { kind: 'refused', detail: 'the URL has no host' };
  const trusted = allowsName(list, host);
  if (!trusted && isLocalhostName(host)) return { kind: 'refused', detail: `the host ${host} is this server` };
  return { kind: 'name', name: host, trusted };
}

/** Why the server must not connect to this address (null: it may), e.g. "the address 127.0.0.1 is not public (loopback)". */
export function addressRefusal(address: string, list: OutboundAllowList): string | null {
  const ip = parseIp(address);
  if (!ip) return `${address} is not an IP address`;
  if (allowsAddress(list, ip)) return null;
  const range = nonPublicRange(ip);
  return range === null ? null : `the address ${normalizeHost(address)} is not public (${range})`;
}

/** The host as written in a URL, before the URL parser canonicalises it (undefined when there is none). */
function writtenHost(url: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(url)?.[1];
  if (authority === undefined) return undefined;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.replace(/:\d*$/, '');
}

/**
 * The check of a URL's host when an admin saves it: a non-public IP literal, an unusual spelling of an
 * IPv4 address ("2130706433", "0x7f.1", "0177.0.0.1", which the URL parser reads as 127.0.0.1) or
 * localhost. Names are not resolved here: DNS may answer differently later, and every connection is
 * checked again. Null when the host is fine (or the URL does not parse: other checks report that).
 */
export function savedUrlHostProblem(url: string, list: OutboundAllowList): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const canonical = normalizeHost(parsed.hostname);
  const written = writtenHost(url);
  const odd = written !== undefined && parseIp(canonical)?.version === 4 && normalizeHost(written) !== canonical;
  const verdict = hostVerdict(parsed.hostname, list);
  if (verdict.kind === 'refused')
    return `${odd ? `the host "${written}" means ${canonical}, and ` : ''}${verdict.detail}; ask the deployment to allow-list it`;
  if (odd) return `write the address as ${canonical}: "${written}" is an unusual spelling of it`;
  return null;
}
