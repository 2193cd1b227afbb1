import { type ResourceType, setAuthorizationTokenHeaderUsingMasterKey } from '@azure/cosmos';
import {
  MAX_CLOCK_SKEW_MS,
  authorizationRefusal,
  masterKeyAuthorization,
  masterKeySignature,
  newMasterKey,
  signedResourceOf,
} from '../../../bot/src/store/embedded-auth';

const KEY = Buffer.alloc(64, 0x2a).toString('base64');
const DATE = 'Thu, 02 Jan 2025 03:04:05 GMT';
const NOW = Date.parse(DATE);

/** The headers @azure/cosmos itself puts on a request, at a fixed clock. */
async function sdkHeaders(
  verb: string,
  resourceId: string,
  resourceType: string,
  key = KEY,
  at = NOW,
): Promise<Record<string, string>> {
  jest.useFakeTimers({ now: at });
  try {
    const headers: Record<string, string> = {};
    await setAuthorizationTokenHeaderUsingMasterKey(
      verb as never,
      resourceId,
      resourceType as ResourceType,
      headers,
      key,
    );
    return headers;
  } finally {
    jest.useRealTimers();
  }
}

describe('master key signature', () => {
  // Vectors taken from @azure/cosmos 4.9's setAuthorizationTokenHeaderUsingMasterKey at DATE with KEY.
  it.each([
    [
      'POST',
      'docs',
      'dbs/db1/colls/c1',
      'type%3Dmaster%26ver%3D1.0%26sig%3DiM9QY38MJ1lkhnytgt3lY7w8fhe8tcK2Ke4VLNJ8k%2Bs%3D',
    ],
    [
      'GET',
      'docs',
      'dbs/db1/colls/c1/docs/doc ü 1',
      'type%3Dmaster%26ver%3D1.0%26sig%3DJIDmSq9zx9e4yZWC1k1FgvfHM0iVMpQog11qBYQj6OQ%3D',
    ],
    ['GET', '', '', 'type%3Dmaster%26ver%3D1.0%26sig%3D9%2BIQBTkaFeowlOwMJHRyHA0snJvAmYiibkltnl5UHo0%3D'],
  ])('matches the SDK for %s %s %j', async (verb, type, link, expected) => {
    expect(masterKeyAuthorization(masterKeySignature(KEY, verb, type, link, DATE))).toBe(expected);
    expect(await sdkHeaders(verb, link, type)).toEqual({ authorization: expected, 'x-ms-date': DATE });
  });

  it('signs offers with their id in lower case, as the SDK does', async () => {
    const expected = 'type%3Dmaster%26ver%3D1.0%26sig%3DhULGQMZujjIj%2BooNdcrqkQfe%2BELgtQbkXjI%2BkCp%2BNjw%3D';
    expect((await sdkHeaders('GET', 'ABC', 'offers')).authorization).toBe(expected);
    expect(
      masterKeyAuthorization(
        masterKeySignature(KEY, 'GET', 'offers', signedResourceOf('/offers/ABC')!.resourceLink, DATE),
      ),
    ).toBe(expected);
  });

  it('makes 64-byte random keys', () => {
    const a = newMasterKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(64);
    expect(newMasterKey()).not.toBe(a);
  });
});

describe('the resource a path is signed for', () => {
  it.each([
    ['/', '', ''],
    ['/dbs', 'dbs', ''],
    ['/dbs/db1', 'dbs', 'dbs/db1'],
    ['/dbs/db1/colls', 'colls', 'dbs/db1'],
    ['/dbs/db1/colls/c1', 'colls', 'dbs/db1/colls/c1'],
    ['/dbs/db1/colls/c1/docs', 'docs', 'dbs/db1/colls/c1'],
    ['//dbs/db1/colls/c1/docs/', 'docs', 'dbs/db1/colls/c1'],
    ['/dbs/db1/colls/c1/docs?x=1', 'docs', 'dbs/db1/colls/c1'],
    ['/dbs/db1/colls/c1/docs/doc%20%C3%BC%201', 'docs', 'dbs/db1/colls/c1/docs/doc ü 1'],
    ['/dbs/db1/colls/c1/pkranges', 'pkranges', 'dbs/db1/colls/c1'],
    ['/offers', 'offers', ''],
    ['/offers/AbC', 'offers', 'abc'],
  ])('%s → type %j, link %j', (url, resourceType, resourceLink) => {
    expect(signedResourceOf(url)).toEqual({ resourceType, resourceLink });
  });

  it('is undefined for a path that does not decode', () => {
    expect(signedResourceOf('/dbs/%E0%A4%A')).toBeUndefined();
  });
});

describe('authorizationRefusal', () => {
  /** A request as the SDK sends it: path `"/" + encodeURI(link)`, headers from the SDK. */
  const sdkRequest = async (
    method: string,
    url: string,
    type: string,
    link: string,
    opts: { key?: string; at?: number } = {},
  ) => ({
    method,
    url,
    headers: Object.fromEntries(
      Object.entries(await sdkHeaders(method, link, type, opts.key, opts.at)).map(([k, v]) => [k.toLowerCase(), v]),
    ),
  });

  it('accepts what the SDK signs with the key, for feeds, items, the account and encoded ids', async () => {
    for (const [method, url, type, link] of [
      ['GET', '/', '', ''],
      ['POST', '/dbs', 'dbs', ''],
      ['GET', '/dbs/db1', 'dbs', 'dbs/db1'],
      ['POST', '/dbs/db1/colls/c1/docs', 'docs', 'dbs/db1/colls/c1'],
      ['GET', '/dbs/db1/colls/c1/pkranges', 'pkranges', 'dbs/db1/colls/c1'],
      ['PATCH', `/${encodeURI('dbs/db1/colls/c1/docs/doc ü 1')}`, 'docs', 'dbs/db1/colls/c1/docs/doc ü 1'],
      ['DELETE', '/dbs/db1/colls/c1/docs/d:1', 'docs', 'dbs/db1/colls/c1/docs/d:1'],
    ] as const) {
      expect(authorizationRefusal(KEY, await sdkRequest(method, url, type, link), NOW)).toBeUndefined();
    }
  });

  it('refuses another key, verb or resource', async () => {
    const request = await sdkRequest('GET', '/dbs/db1', 'dbs', 'dbs/db1', { key: newMasterKey() });
    expect(authorizationRefusal(KEY, request, NOW)).toContain('signature does not match');
    const signed = await sdkRequest('GET', '/dbs/db1', 'dbs', 'dbs/db1');
    expect(authorizationRefusal(KEY, { ...signed, method: 'DELETE' }, NOW)).toContain('signature does not match');
    expect(authorizationRefusal(KEY, { ...signed, url: '/dbs/db2' }, NOW)).toContain('signature does not match');
  });

  it('refuses a missing or malformed header', async () => {
    const signed = await sdkRequest('GET', '/dbs/db1', 'dbs', 'dbs/db1');
    const withAuth = (authorization: string | undefined) => ({
      ...signed,
      headers: { ...signed.headers, authorization },
    });
    expect(authorizationRefusal(KEY, withAuth(undefined), NOW)).toContain('missing');
    for (const bad of [
      '',
      'garbage',
      '%E0%A4%A',
      encodeURIComponent('type=master&ver=1.0'),
      encodeURIComponent('type=resource&ver=1.0&sig=AAAA'),
      encodeURIComponent('type=master&ver=2.0&sig=AAAA'),
      masterKeyAuthorization('no base64'),
    ]) {
      expect(authorizationRefusal(KEY, withAuth(bad), NOW)).toBeDefined();
    }
  });

  it('refuses a missing date, and one more than 15 minutes off either way', async () => {
    const signed = await sdkRequest('GET', '/dbs/db1', 'dbs', 'dbs/db1');
    expect(
      authorizationRefusal(KEY, { ...signed, headers: { authorization: signed.headers.authorization } }, NOW),
    ).toContain('x-ms-date is missing');
    expect(authorizationRefusal(KEY, signed, NOW + MAX_CLOCK_SKEW_MS)).toBeUndefined();
    expect(authorizationRefusal(KEY, signed, NOW + MAX_CLOCK_SKEW_MS + 1000)).toContain('15 minutes');
    expect(authorizationRefusal(KEY, signed, NOW - MAX_CLOCK_SKEW_MS - 1000)).toContain('15 minutes');
    expect(
      authorizationRefusal(KEY, { ...signed, headers: { ...signed.headers, 'x-ms-date': 'yesterday' } }, NOW),
    ).toContain('not a date');
  });
});
