import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { type Result, ok, refuse } from '../core/result';

/** Names for the address ranges proxies usually forward from. */
const KEYWORDS: Record<string, readonly (readonly [string, number, 'ipv4' | 'ipv6'])[]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  // Private networks, link-local included: App Service's front ends reach the app from its internal network.
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'],
    ['169.254.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
    ['fe80::', 10, 'ipv6'],
  ],
};

/** `::ffff:10.0.0.1` (how a dual-stack socket reports IPv4) is 10.0.0.1. */
export const normalizeAddress = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
};

/**
 * The proxies whose X-Forwarded-For is believed: entries are addresses, CIDRs (`10.0.0.0/8`) or the
 * keywords `loopback` and `private`. Returns the entries it could not read, so configuration can name them.
 */
export function parseTrustedProxies(entries: readonly string[]): Result<BlockList, string[]> {
  const proxies = new BlockList();
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const named = KEYWORDS[entry];
    if (named) {
      for (const [network, prefix, family] of named) proxies.addSubnet(network, prefix, family);
      continue;
    }
    const [address = '', prefixText, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (family === 0 || rest.length > 0 || !(prefix >= 0 && prefix <= max)) {
      invalid.push(raw);
      continue;
    }
    proxies.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return invalid.length > 0 ? refuse(invalid) : ok(proxies);
}

const trusts = (proxies: BlockList, address: string): boolean => {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/** `203.0.113.7:51234` and `[2001:db8::1]:443` (App Service adds ports) are their addresses. */
const withoutPort = (hop: string): string => {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return v4WithPort ? v4WithPort[1]! : hop;
};

export type ClientAddress = { address: string; viaTrustedProxy: boolean };

/**
 * Who is calling: the socket's peer, unless that peer is a trusted proxy; then the X-Forwarded-For
 * chain is read from the right, skipping trusted hops, and the first untrusted hop is the client.
 * Hops a client wrote itself sit left of that and are never read, so they cannot pick the address.
 */
export function resolveClientAddress(req: IncomingMessage, proxies: BlockList): ClientAddress {
  const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trusts(proxies, peer)) return { address: peer, viaTrustedProxy: false };
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => normalizeAddress(withoutPort(hop.trim())))
    .filter((hop) => hop !== '');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) break;
    client = hop;
    if (!trusts(proxies, hop)) break;
  }
  return { address: client, viaTrustedProxy: true };
}

const resolved = new WeakMap<IncomingMessage, ClientAddress>();

/** Resolves the client once per request (the server does it first thing); rate limits key on this. */
export function rememberClientAddress(req: IncomingMessage, proxies: BlockList): ClientAddress {
  const address = resolveClientAddress(req, proxies);
  resolved.set(req, address);
  return address;
}

export const clientAddressOf = (req: IncomingMessage): ClientAddress =>
  resolved.get(req) ?? { address: normalizeAddress(req.socket.remoteAddress ?? 'unknown'), viaTrustedProxy: false };
