import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { type ServerProcess, startServerProcess, stopServerProcesses } from '../../helpers/process';

/**
 * Thousands of generated requests to every public endpoint of a real server process: bad types, huge
 * strings, odd headers, encodings and ids, valid ids now and then so the requests get past the first
 * check. Whatever they are, the answer is never a 5xx and the process is alive at the end.
 */
const RUNS = 4000;
const ADMIN = 'admin-adele';

type Sent = { method: string; path: string; headers: Record<string, string>; body: Buffer | undefined };
type Answer = { status: number } | { error: string };

function send(base: URL, r: Sent): Promise<Answer> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: r.body ? { ...r.headers, 'content-length': String(r.body.length) } : r.headers,
      });
    } catch (err) {
      // Node's client refuses some generated headers or paths itself; nothing reached the server.
      resolve({ error: `not sent: ${(err as Error).message}` });
      return;
    }
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0 });
      // Event streams stay open: the status is all we need.
      res.destroy();
    });
    // The server may close a refused request's connection before the whole body is written.
    req.on('error', (err) => resolve({ error: err.message }));
    req.end(r.body);
  });
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../..',
    '%00',
    '%2F',
    '\u202e',
    'null',
    '-1',
    '1e309',
    '<script>',
    '{{param.x}}',
    'x'.repeat(5000),
  ),
);
const segment = (valid: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...valid),
    text.map((s) => encodeURIComponent(s)),
    fc.constantFrom('%', '%zz', '%c0%ae', '..', '.'),
  );

const jsonValue = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.constant(JSON.stringify({ text: 'x'.repeat(20_000) })),
  fc.constant('['.repeat(5000)),
  fc
    .record({ key: text, displayName: text, email: text, consent: fc.oneof(fc.boolean(), text), message: text })
    .map((o) => JSON.stringify(o)),
  fc.record({ text: text, typing: fc.oneof(fc.boolean(), text), presence: text }).map((o) => JSON.stringify(o)),
  fc
    .record({
      type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'x'),
      text: text,
      from: fc.record({ id: text }),
      value: fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j) as unknown),
    })
    .map((o) => JSON.stringify(o)),
);
const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: jsonValue.map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(fc.string({ maxLength: 12 }), text, { maxKeys: 8 })
      .map((d) => Buffer.from(new URLSearchParams(d).toString())),
  },
);
/** What a client can put into a header at all: visible ASCII, space and Latin-1, short or huge. */
const headerText = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 60,
  }),
  fc.constantFrom('', '..', '%00', '-1', '1e309', '<script>', 'x'.repeat(6000)),
);
const headerValue = fc.oneof(
  headerText,
  fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/csv',
    'application/json; charset=latin1',
    'gzip',
    'deflate, gzip',
    'identity',
  ),
);

describe('a fuzzed public surface', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cc-fuzz-')),
      INTERACT_RATE_LIMIT_SCALE: '1000',
      LOG_LEVEL: 'error',
    });
  });
  afterAll(stopServerProcesses);

  it(`answers ${RUNS} generated requests without a 5xx and stays up`, async () => {
    const base = new URL(server.urls.Health!);
    const preview = new URL(server.urls['Widget preview (Service B)']!);
    const contactId = decodeURIComponent(preview.pathname.split('/').pop()!);
    const widgetKey = preview.searchParams.get('key')!;
    // A real chat, a visitor token and a signed-in admin, so generated requests also get past the first checks.
    const created = await fetch(`${base.origin}/interact/v1/contacts/${encodeURIComponent(contactId)}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base.origin },
      body: JSON.stringify({
        key: widgetKey,
        displayName: 'Fuzz',
        email: 'fuzz@example.com',
        consent: true,
        message: 'hi',
      }),
    });
    expect(created.status).toBe(201);
    const chat = (await created.json()) as { chatId: string; token: string };
    const signIn = await fetch(`${base.origin}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 'contoso-demo', userId: ADMIN }),
    });
    expect(signIn.status).toBe(200);
    const { token: adminToken } = (await signIn.json()) as { token: string };
    const ids = [
      contactId,
      chat.chatId,
      'contoso-demo',
      'agent-alex',
      'svc-b',
      'wa-1',
      '00000000-0000-4000-8000-000000000000',
    ];
    const id = segment(ids);
    const route = fc.oneof(
      fc
        .tuple(fc.constantFrom('GET', 'OPTIONS', 'POST', 'HEAD'), id, text)
        .map(
          ([m, c, q]) =>
            [
              m,
              `/interact/v1/contacts/${c}?key=${fc.sample(fc.constantFrom(widgetKey, encodeURIComponent(q)), 1)[0]}`,
            ] as const,
        ),
      fc
        .tuple(fc.constantFrom('POST', 'OPTIONS'), id)
        .map(([m, c]) => [m, `/interact/v1/contacts/${c}/chats`] as const),
      fc
        .tuple(fc.constantFrom('POST', 'GET'), id, id, fc.constantFrom('messages', 'typing', 'end', 'events'))
        .map(([m, c, ch, what]) => [m, `/interact/v1/contacts/${c}/chats/${ch}/${what}`] as const),
      fc
        .tuple(fc.constantFrom('GET', 'POST'), id, text)
        .map(([m, c, q]) => [m, `/interact/preview/${c}?key=${encodeURIComponent(q)}`] as const),
      fc.constantFrom(
        ['GET', '/interact/v1/widget.js'] as const,
        ['GET', '/interact/v1/openapi.json'] as const,
        ['GET', '/healthz'] as const,
        ['GET', '/tab/'] as const,
        ['HEAD', '/api/messages'] as const,
      ),
      fc
        .tuple(fc.constantFrom('POST', 'GET', 'PUT'), id)
        .map(([m, c]) => [m, `/api/messages${m === 'GET' ? `/${c}` : ''}`] as const),
      fc
        .tuple(fc.constantFrom('POST', 'GET'), id, text)
        .map(
          ([m, c, q]) =>
            [
              m,
              `/whatsapp/v1/${fc.sample(fc.constantFrom('webhook', 'status'), 1)[0]}/${c}?chat=${encodeURIComponent(q)}&seq=${encodeURIComponent(q)}`,
            ] as const,
        ),
      fc.tuple(id).map(([t]) => ['GET', `/whatsapp/v1/media/${t}`] as const),
      fc
        .tuple(
          fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
          fc.constantFrom(
            'me',
            'me/sessions',
            'me/presence',
            'me/stream',
            'me/history',
            'admin/users',
            'admin/services',
            'admin/workflows',
            'admin/web-requests',
            'dev/users',
            'dev/sign-in',
            'whatsapp/connectors/new',
          ),
          id,
        )
        .map(([m, p, c]) => [m, `/api/v1/${p}${c === ids[0] ? '' : `/${c}`}?tenantId=${c}&after=${c}`] as const),
      fc
        .tuple(fc.constantFrom('GET', 'DELETE', 'TRACE'), text)
        .map(([m, p]) => [m, `/${encodeURIComponent(p)}`] as const),
    );
    const request = fc.record({
      route,
      body,
      // Mostly the types the routes take, so most requests reach the route's own checks.
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constant('application/x-www-form-urlencoded') },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: headerValue },
      ),
      encoding: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerValue }),
      authorization: fc.option(
        fc.oneof(
          headerText.map((t) => `Bearer ${t}`),
          fc.constant('Bearer eyJhbGciOiJub25lIn0.eyJ0aWQiOiJjb250b3NvLWRlbW8ifQ.'),
          fc.constant(`Bearer ${chat.token}`),
          fc.constant(`Bearer ${adminToken}`),
          headerText,
        ),
        { nil: undefined },
      ),
      origin: fc.option(fc.constantFrom('http://localhost', 'null', 'https://evil.example', base.origin), {
        nil: undefined,
      }),
      forwarded: fc.option(fc.oneof(headerText, fc.constant('127.0.0.1, 10.0.0.1')), { nil: undefined }),
      lastEventId: fc.option(fc.oneof(headerText, fc.constantFrom('-1', '9007199254740993', '1e9')), {
        nil: undefined,
      }),
    });

    const requests = fc.sample(request, { numRuns: RUNS, seed: 20261201 });
    const answers: { sent: Sent; answer: Answer }[] = [];
    const queue = [...requests];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const headers: Record<string, string> = {};
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.encoding !== undefined) headers['content-encoding'] = r.encoding;
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.origin !== undefined) headers.origin = r.origin;
        if (r.forwarded !== undefined) headers['x-forwarded-for'] = r.forwarded;
        if (r.lastEventId !== undefined) headers['last-event-id'] = r.lastEventId;
        const sent: Sent = { method: r.route[0], path: r.route[1], headers, body: r.body };
        answers.push({ sent, answer: await send(base, sent) });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const answered = answers.filter((a): a is { sent: Sent; answer: { status: number } } => 'status' in a.answer);
    const serverErrors = answered
      .filter((a) => a.answer.status >= 500)
      .map((a) => ({
        method: a.sent.method,
        path: a.sent.path.slice(0, 120),
        status: a.answer.status,
        headers: a.sent.headers,
        body: a.sent.body?.subarray(0, 200).toString(),
      }));
    expect(serverErrors).toEqual([]);
    // Most requests must have been answered (not refused by the client or cut off), or the test tests nothing.
    expect(answered.length).toBeGreaterThan(RUNS * 0.9);
    const statuses = new Set(answered.map((a) => a.answer.status));
    for (const expected of [200, 400, 401, 404, 415]) expect(statuses).toContain(expected);
    expect(server.proc.exitCode).toBeNull();
    expect((await fetch(server.urls.Health!)).status).toBe(200);
    // Nothing failed unexpectedly on the server's side either.
    expect(server.output()).not.toMatch(/request failed|uncaught|unhandled/i);
  }, 240_000);
});
