import type { IncomingMessage } from 'node:http';
import { parseTrustedProxies, resolveClientAddress } from '../../../bot/src/http/client-address';

const request = (peer: string, forwardedFor?: string): IncomingMessage =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

const proxies = (...entries: string[]) => {
  const parsed = parseTrustedProxies(entries);
  if (!parsed.ok) throw new Error(`unreadable: ${parsed.refusal.join(', ')}`);
  return parsed.value;
};

describe('the client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress(request('::ffff:198.51.100.9', '1.2.3.4'), proxies())).toEqual({
      address: '198.51.100.9',
      viaTrustedProxy: false,
    });
  });

  it('is the last untrusted hop behind a trusted proxy, so hops a client prepends are never read', () => {
    const trusted = proxies('private', 'loopback');
    // The client sent "X-Forwarded-For: 9.9.9.9"; the proxy appended the address it saw.
    expect(resolveClientAddress(request('10.0.0.4', '9.9.9.9, 203.0.113.7'), trusted)).toEqual({
      address: '203.0.113.7',
      viaTrustedProxy: true,
    });
    // Two trusted proxies in a row are skipped.
    expect(resolveClientAddress(request('127.0.0.1', '203.0.113.7, 10.1.2.3'), trusted).address).toBe('203.0.113.7');
    // App Service adds ports.
    expect(resolveClientAddress(request('169.254.130.1', '203.0.113.7:51234'), trusted).address).toBe('203.0.113.7');
    expect(resolveClientAddress(request('169.254.130.1', '[2001:db8::7]:443'), trusted).address).toBe('2001:db8::7');
  });

  it('stops at a hop that is not an address and keeps the last good one', () => {
    expect(resolveClientAddress(request('10.0.0.4', '203.0.113.7, garbage'), proxies('private')).address).toBe(
      '10.0.0.4',
    );
    expect(resolveClientAddress(request('10.0.0.4'), proxies('private'))).toEqual({
      address: '10.0.0.4',
      viaTrustedProxy: true,
    });
  });

  it('reads CIDRs, single addresses and keywords, and names what it cannot read', () => {
    const trusted = proxies('192.0.2.0/24', '2001:db8::1');
    expect(resolveClientAddress(request('192.0.2.200', '203.0.113.8'), trusted).address).toBe('203.0.113.8');
    expect(resolveClientAddress(request('2001:db8::1', '203.0.113.8'), trusted).address).toBe('203.0.113.8');
    expect(resolveClientAddress(request('192.0.3.1', '203.0.113.8'), trusted).address).toBe('192.0.3.1');
    expect(parseTrustedProxies(['10.0.0.0/33', 'example.com', 'private', '1.2.3.4/8/1'])).toEqual({
      ok: false,
      refusal: ['10.0.0.0/33', 'example.com', '1.2.3.4/8/1'],
    });
  });
});
