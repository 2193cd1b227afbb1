import { parseAllowList } from '../../../bot/src/core/net/address';
import {
  SYSTEM_FIELDS,
  type TemplateValues,
  WebRequestConfig,
  buildRequest,
  renderTemplate,
  webRequestAddressProblems,
  webRequestProblems,
} from '../../../bot/src/core/workflow';

const values = (params: Record<string, string>): TemplateValues => ({
  system: Object.fromEntries(SYSTEM_FIELDS.map((f) => [f, ''])) as TemplateValues['system'],
  params,
});
const config = (overrides: Record<string, unknown> = {}) =>
  WebRequestConfig.parse({
    id: 'wr-1',
    tenantId: 't',
    type: 'webRequest',
    unitId: 'u',
    name: 'CRM',
    method: 'GET',
    url: 'https://crm.example.com/items/{{param.id}}/details',
    ...overrides,
  });

/**
 * The path segments as written, which is how the web request client sends them. Not the URL parser's
 * view: it resolves "%2E%2E" like "..", so the client does not let it rewrite the path (see guarded-http).
 */
const segments = (url: string) => /^https:\/\/[^/]+([^?#]*)/.exec(url)![1]!.split('/').slice(1);

describe('values inserted into a URL stay in their segment', () => {
  it.each([['..'], ['.'], ['../..'], ['../admin'], ['a/b'], ['x?y=1'], ['x#frag'], ['%2e%2e'], ['..%2F'], ['.\\..']])(
    '%s',
    (id) => {
      const url = renderTemplate('https://crm.example.com/items/{{param.id}}/details', values({ id }), 'url');
      expect(url.startsWith('https://crm.example.com/items/')).toBe(true);
      expect(url.endsWith('/details')).toBe(true);
      expect(segments(url)).toHaveLength(3);
      expect(segments(url)[0]).toBe('items');
      expect(decodeURIComponent(segments(url)[1]!)).toBe(id);
      expect(segments(url)[1]).not.toContain('.');
      expect(new URL(url).hash).toBe('');
      expect(new URL(url).search).toBe('');
    },
  );

  it('encodes every dot, so two values side by side cannot form ".." either', () => {
    expect(renderTemplate('https://x.test/{{param.a}}{{param.b}}/y', values({ a: '.', b: '.' }), 'url')).toBe(
      'https://x.test/%2E%2E/y',
    );
    expect(renderTemplate('https://x.test/u/{{param.email}}', values({ email: 'ann.lee@example.com' }), 'url')).toBe(
      'https://x.test/u/ann%2Elee%40example%2Ecom',
    );
    // Only URLs: the same value stays as it is in a form body, JSON and text.
    expect(renderTemplate('{{param.a}}', values({ a: 'a.b' }), 'form')).toBe('a.b');
    expect(renderTemplate('{{param.a}}', values({ a: 'a.b' }), 'json-string')).toBe('a.b');
    expect(buildRequest(config(), values({ id: '..' })).url).toBe('https://crm.example.com/items/%2E%2E/details');
  });
});

describe('hosts a web request may name when it is saved', () => {
  it('a host must end before the first placeholder', () => {
    expect(webRequestProblems(config({ url: 'https://api{{param.x}}/items' })).map((p) => p.field)).toEqual(['url']);
    expect(
      webRequestProblems(config({ url: 'https://api.example.com:{{param.port}}/items' })).map((p) => p.field),
    ).toEqual(['url']);
    expect(webRequestProblems(config({ url: 'https://api.example.com?q={{param.x}}' }))).toEqual([]);
    expect(webRequestProblems(config({ url: 'https://api.example.com' }))).toEqual([]);
  });

  it('refuses non-public literals, odd spellings and localhost in the URL and the token URL, unless allow-listed', () => {
    const oauth = (tokenUrl: string) => ({
      kind: 'oauth2-client-credentials',
      tokenUrl,
      clientId: 'c',
      clientSecret: 's',
    });
    expect(webRequestAddressProblems(config({ url: 'http://127.0.0.1/items/{{param.id}}' }), [])).toEqual([
      { field: 'url', message: 'the address 127.0.0.1 is not public (loopback); ask the deployment to allow-list it' },
    ]);
    expect(webRequestAddressProblems(config({ url: 'http://2130706433/x' }), [])).toEqual([
      { field: 'url', message: expect.stringContaining('the address 127.0.0.1 is not public') },
    ]);
    expect(webRequestAddressProblems(config({ auth: oauth('http://169.254.169.254/token') }), [])).toEqual([
      { field: 'auth.tokenUrl', message: expect.stringContaining('the address 169.254.169.254 is not public') },
    ]);
    expect(
      webRequestAddressProblems(config({ url: 'http://localhost:3978/x', auth: oauth('https://[::1]/token') }), []).map(
        (p) => p.field,
      ),
    ).toEqual(['url', 'auth.tokenUrl']);
    const list = parseAllowList('127.0.0.0/8, localhost');
    if (!list.ok) throw new Error(list.refusal);
    expect(
      webRequestAddressProblems(
        config({ url: 'http://127.0.0.1:9000/x', auth: oauth('http://localhost/token') }),
        list.value,
      ),
    ).toEqual([]);
    expect(webRequestAddressProblems(config(), [])).toEqual([]);
  });
});
