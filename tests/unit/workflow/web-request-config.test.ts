import {
  SYSTEM_FIELDS,
  type TemplateValues,
  WebRequestConfig,
  buildRequest,
  mapResponse,
  webRequestProblems,
} from '../../../bot/src/core/workflow';

const config = (overrides: Record<string, unknown> = {}) =>
  WebRequestConfig.parse({
    id: 'wr-1',
    tenantId: 't',
    type: 'webRequest',
    unitId: 'u',
    name: 'CRM lookup',
    method: 'POST',
    url: 'https://crm.example.com/customers/{{param.id}}?channel={{channel}}',
    headers: [{ name: 'X-Customer', value: '{{customer.name}}' }],
    body: '{"name":"{{customer.name}}","note":"{{param.note}}"}',
    auth: { kind: 'api-key', header: 'X-Api-Key', value: 'secret' },
    responseMappings: [
      { path: '$.tier', parameter: 'tier' },
      { path: '$.contacts[0].email', parameter: 'email' },
    ],
    ...overrides,
  });

const values: TemplateValues = {
  system: {
    ...(Object.fromEntries(SYSTEM_FIELDS.map((f) => [f, ''])) as TemplateValues['system']),
    'customer.name': 'Ann "the Boss"\r\nX-Evil: 1',
    channel: 'WhatsApp',
  },
  params: { id: 'a/b?c', note: 'line1\nline2' },
};

describe('web request configuration', () => {
  it('builds the request with every value encoded for where it lands', () => {
    const request = buildRequest(config(), values);
    expect(request.url).toBe('https://crm.example.com/customers/a%2Fb%3Fc?channel=WhatsApp');
    expect(request.headers).toEqual({
      'X-Customer': 'Ann "the Boss" X-Evil: 1',
      'Content-Type': 'application/json',
      'X-Api-Key': 'secret',
    });
    expect(JSON.parse(request.body!)).toEqual({ name: 'Ann "the Boss"\r\nX-Evil: 1', note: 'line1\nline2' });
  });

  it('sends no body with GET, and form bodies percent-encoded', () => {
    expect(buildRequest(config({ method: 'GET' }), values).body).toBeNull();
    expect(
      buildRequest(config({ contentType: 'application/x-www-form-urlencoded', body: 'id={{param.id}}' }), values).body,
    ).toBe('id=a%2Fb%3Fc');
  });

  it('maps response values into parameters; paths that find nothing are reported', () => {
    expect(mapResponse(config(), { tier: 'gold', contacts: [] })).toEqual({
      values: { tier: 'gold' },
      missing: ['$.contacts[0].email'],
    });
  });

  it('reports template, URL and path problems', () => {
    const bad = config({
      url: '{{param.base}}/x',
      body: '{{oops}}',
      responseMappings: [{ path: 'tier', parameter: 'tier' }],
    });
    expect(webRequestProblems(bad).map((p) => p.field)).toEqual(['body', 'url', 'responseMappings[0]']);
    expect(webRequestProblems(config(), new Set(['id', 'note', 'tier', 'email']))).toEqual([]);
    expect(webRequestProblems(config(), new Set(['id'])).map((p) => p.message)).toEqual([
      '{{param.note}} names a parameter the workflow does not declare',
      'saves to parameter "tier", which the workflow does not declare',
      'saves to parameter "email", which the workflow does not declare',
    ]);
  });
});
