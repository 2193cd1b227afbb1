import {
  GraphUserPage,
  SYNC_STALE_AFTER_MS,
  directoryChange,
  onOrigin,
  pageEnd,
  retryAfterMs,
  syncRunning,
  tokenErrorText,
} from '../../../bot/src/core/directory';

const GRAPH = 'https://graph.microsoft.com';
const id = '0f9e8d7c-6b5a-4a3b-9c2d-1e0f9a8b7c6d';

describe('what a directory entry means for our users', () => {
  it('an enabled person is present, with what the entry carries and nothing made up', () => {
    expect(
      directoryChange({
        id,
        displayName: 'Ada Lovelace',
        mail: null,
        userPrincipalName: 'ada@contoso.com',
        accountEnabled: true,
        businessPhones: [],
      }),
    ).toEqual({
      kind: 'present',
      userId: id,
      displayName: 'Ada Lovelace',
      mail: null,
      userPrincipalName: 'ada@contoso.com',
    });
    // A delta entry with only what changed: the missing fields are unknown.
    expect(directoryChange({ id, displayName: 'Ada King' })).toEqual({
      kind: 'present',
      userId: id,
      displayName: 'Ada King',
      mail: null,
      userPrincipalName: null,
    });
  });

  it('a removed or disabled person is gone; an entry without a usable id is unreadable', () => {
    expect(directoryChange({ id, '@removed': { reason: 'deleted' } })).toEqual({
      kind: 'gone',
      userId: id,
      reason: 'removed',
    });
    expect(directoryChange({ id, displayName: 'Ada', accountEnabled: false })).toEqual({
      kind: 'gone',
      userId: id,
      reason: 'disabled',
    });
    expect(directoryChange({ displayName: 'no id' })).toMatchObject({ kind: 'unreadable' });
    expect(directoryChange({ id: 'a|b' })).toMatchObject({ kind: 'unreadable' });
    expect(directoryChange('not an object')).toMatchObject({ kind: 'unreadable' });
  });
});

describe('where a page of users leads', () => {
  const page = (links: Record<string, string>) => GraphUserPage.parse({ value: [], ...links });

  it('to its next page, to the delta link of the round, or nowhere', () => {
    expect(pageEnd(page({ '@odata.nextLink': `${GRAPH}/v1.0/users/delta?$skiptoken=x` }), GRAPH)).toEqual({
      kind: 'next',
      url: `${GRAPH}/v1.0/users/delta?$skiptoken=x`,
    });
    expect(pageEnd(page({ '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=y` }), GRAPH)).toEqual({
      kind: 'delta',
      url: `${GRAPH}/v1.0/users/delta?$deltatoken=y`,
    });
    expect(pageEnd(page({}), GRAPH)).toEqual({ kind: 'last' });
  });

  it('never to another host, which would get the token', () => {
    for (const link of ['https://graph.microsoft.com.evil.example/v1.0/users', 'http://graph.microsoft.com/x', 'nope'])
      expect(pageEnd(page({ '@odata.nextLink': link }), GRAPH)).toEqual({ kind: 'foreign', url: link });
    expect(onOrigin('https://graph.microsoft.us/v1.0/users/delta', 'https://graph.microsoft.us')).toBe(true);
  });

  it('refuses a page that is not one', () => {
    expect(GraphUserPage.safeParse({ value: 'users' }).success).toBe(false);
    expect(GraphUserPage.safeParse({ '@odata.deltaLink': `${GRAPH}/x` }).success).toBe(false);
  });
});

describe('reading what the platforms answer', () => {
  it('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 5, 9, 0, 0);
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(' 1.5 ', now)).toBe(1500);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it("the identity platform's error as its first sentence, without trace ids", () => {
    expect(
      tokenErrorText({
        error: 'unauthorized_client',
        error_description:
          "AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso'.\r\nTrace ID: 1\r\nCorrelation ID: 2",
      }),
    ).toBe("AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso'.");
    expect(tokenErrorText({ error: 'invalid_client' })).toBe('invalid_client');
    expect(tokenErrorText('<html>')).toBeUndefined();
  });

  it('a claimed sync counts as running until it is abandoned', () => {
    const running = { running: { runId: 'r', kind: 'full' as const, groupId: null, startedAt: 1_000 } };
    expect(syncRunning(running, 1_000 + SYNC_STALE_AFTER_MS - 1)).toBe(true);
    expect(syncRunning(running, 1_000 + SYNC_STALE_AFTER_MS)).toBe(false);
    expect(syncRunning({ running: null }, 1_000)).toBe(false);
    expect(syncRunning(undefined, 1_000)).toBe(false);
  });
});
