import nock from 'nock';
import type { Resolve } from '../../../bot/src/services/net/guarded-http';
import { systemClock } from '../../../bot/src/services/routing/clock';
import { WebRequestClient } from '../../../bot/src/services/workflow/web-request-client';
import { type Listener, listen, templateValues, webRequestConfig } from './outbound-listener';

/**
 * A public host (intercepted by nock) that redirects to an address the server must not call: the
 * redirect is checked like the first request, and the loopback listener receives nothing.
 */
let target: Listener;
beforeAll(async () => {
  target = await listen('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.restore();
  await target.close();
});

const asked: string[] = [];
const resolve: Resolve = async (hostname) => {
  asked.push(hostname);
  return [{ address: '93.184.216.34', family: 4 }];
};

describe('redirects from a public host', () => {
  it('refuses a redirect to 127.0.0.1 or the metadata address', async () => {
    const client = new WebRequestClient(systemClock, { resolve });
    nock('https://api.example.com')
      .get('/start')
      .reply(302, '', { Location: `http://127.0.0.1:${target.port}/admin` });
    nock('https://api.example.com')
      .get('/meta')
      .reply(307, '', { Location: 'http://169.254.169.254/latest/meta-data/iam/' });
    nock('https://api.example.com')
      .get('/named')
      .reply(301, '', { Location: `http://localhost:${target.port}/` });
    expect(
      await client.run(webRequestConfig({ url: 'https://api.example.com/start' }), templateValues()),
    ).toMatchObject({ outcome: 'failure', detail: 'the address 127.0.0.1 is not public (loopback)' });
    expect(await client.run(webRequestConfig({ url: 'https://api.example.com/meta' }), templateValues())).toMatchObject(
      { outcome: 'failure', detail: expect.stringContaining('the address 169.254.169.254 is not public') },
    );
    expect(
      await client.run(webRequestConfig({ url: 'https://api.example.com/named' }), templateValues()),
    ).toMatchObject({ outcome: 'failure', detail: 'the host localhost is this server' });
    expect(target.seen.connections).toBe(0);
  });

  it('follows a redirect to another public host; intercepted requests never reach the resolver', async () => {
    const client = new WebRequestClient(systemClock, { resolve });
    nock('https://api.example.com').get('/old').reply(308, '', { Location: 'https://api2.example.com/new' });
    nock('https://api2.example.com').get('/new').reply(200, { tier: 'moved' });
    expect(await client.run(webRequestConfig({ url: 'https://api.example.com/old' }), templateValues())).toMatchObject({
      outcome: 'success',
      values: { tier: 'moved' },
    });
    // nock answers without a socket: the name check (in the socket's lookup) is not needed, nor is DNS.
    expect(asked).toEqual([]);
  });
});
