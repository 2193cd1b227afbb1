import { DomainTemplate, OriginPattern, originAllowed, originMatches } from '../../../bot/src/core/model';

describe('origin patterns of domain templates', () => {
  it.each([
    ['https://example.com', 'https://example.com', true],
    ['https://EXAMPLE.com', 'https://example.com', true],
    ['https://example.com:443', 'https://example.com', true],
    ['http://example.com', 'https://example.com', false],
    ['https://www.example.com', 'https://example.com', false],
    ['https://example.com:8443', 'https://example.com', false],
    ['https://example.com:8443', 'https://example.com:8443', true],
    ['https://shop.example.com', 'https://*.example.com', true],
    ['https://a.b.example.com', 'https://*.example.com', true],
    ['https://example.com', 'https://*.example.com', false],
    ['https://evilexample.com', 'https://*.example.com', false],
    ['https://example.com.evil.net', 'https://*.example.com', false],
    ['http://localhost:3978', 'http://localhost:3978', true],
    ['http://localhost:3979', 'http://localhost:3978', false],
    ['null', 'https://example.com', false],
    ['', 'https://example.com', false],
    ['https://example.com/path', 'https://example.com', false],
    ['https://user@example.com', 'https://example.com', false],
  ])('%s against %s → %s', (origin, pattern, expected) => {
    expect(originMatches(origin, pattern)).toBe(expected);
  });

  it('allows an origin listed by any of several templates', () => {
    const templates = [{ origins: ['https://a.example'] }, { origins: ['https://*.b.example'] }];
    expect(originAllowed('https://x.b.example', templates)).toBe(true);
    expect(originAllowed('https://c.example', templates)).toBe(false);
    expect(originAllowed('https://a.example', [])).toBe(false);
  });

  it.each([
    'example.com',
    'https://example.com/',
    'https://example.com/path',
    'ftp://example.com',
    'https://*',
    'https://ex*.com',
    'https://example.com:0',
    'https://example.com:70000',
  ])('refuses the pattern %s', (pattern) => {
    expect(OriginPattern.safeParse(pattern).success).toBe(false);
  });

  it('stores patterns lower-cased and requires at least one', () => {
    const base = { id: 'dt', tenantId: 't', type: 'domainTemplate' as const, unitId: 'u', name: 'Sites' };
    expect(DomainTemplate.parse({ ...base, origins: ['HTTPS://Shop.Example.com'] }).origins).toEqual([
      'https://shop.example.com',
    ]);
    expect(DomainTemplate.safeParse({ ...base, origins: [] }).success).toBe(false);
  });
});
