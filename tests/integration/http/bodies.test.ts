import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { z } from 'zod/v4';
import type { App } from '../../../bot/src/app';
import { handle } from '../../../bot/src/http/server';
import { type ServerProcess, startServerProcess, stopServerProcesses } from '../../helpers/process';
import { startTestApp } from '../../helpers/app';

/** Routes of every kind a body can reach before anything checks who is calling. */
const ROUTES = [
  { method: 'GET', path: '/healthz' },
  { method: 'POST', path: '/api/messages' },
  { method: 'POST', path: '/interact/v1/contacts/ct-nobody/chats' },
  { method: 'POST', path: '/whatsapp/v1/webhook/wa-nobody' },
  { method: 'PUT', path: '/api/v1/me/presence' },
  { method: 'POST', path: '/no/such/route' },
];

/** 100 MB of zeros, about 100 KB compressed: far under any limit before it is inflated. */
const bomb = Buffer.from(gzipSync(new Uint8Array(100 * 1024 * 1024), { level: 9 }));

/** A request as any client can send it, a GET with a body included (fetch refuses to). */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    // The server may answer and close before the whole body is sent.
    req.on('error', reject);
    req.end(body);
  });
}

const multipart = (): { headers: Record<string, string>; body: Buffer } => {
  const boundary = '----upload7f3a';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.alloc(256 * 1024, 1),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
};

describe('request bodies in a server process', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cc-bodies-')) });
  });
  afterAll(stopServerProcesses);
  const base = () => server.urls.Health!.replace('/healthz', '');

  it('refuses a corrupt gzip body on every route with 415, and the process lives on', async () => {
    // 21 bytes that claim to be gzip and are not: restify's gunzip stream had no error listener.
    const corrupt = Buffer.from('this is not gzip data');
    for (const { method, path: route } of ROUTES) {
      const res = await send(
        `${base()}${route}`,
        method,
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        corrupt,
      );
      expect({ route, status: res.status }).toEqual({ route, status: 415 });
      expect(res.json).toEqual({ error: { code: 'unsupported-content-encoding', message: expect.any(String) } });
    }
    expect((await fetch(server.urls.Health!)).status).toBe(200);
  });

  it('refuses a gzip bomb and a deflate body without inflating them', async () => {
    const before = await (await fetch(`${base()}/healthz`)).json();
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP']) {
      const res = await fetch(`${base()}/interact/v1/contacts/ct-nobody/chats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: bomb,
      });
      expect(res.status).toBe(415);
    }
    expect(before).toEqual({ status: 'ok', store: 'embedded' });
    expect((await fetch(server.urls.Health!)).status).toBe(200);
  });

  it('refuses multipart uploads with 415 on every route', async () => {
    for (const { method, path: route } of ROUTES) {
      const { headers, body } = multipart();
      const res = await send(`${base()}${route}`, method, headers, body);
      expect({ route, status: res.status }).toEqual({ route, status: 415 });
      expect(res.json).toEqual({ error: { code: 'unsupported-media-type', message: expect.any(String) } });
    }
    expect((await fetch(server.urls.Health!)).status).toBe(200);
  });
});

describe('request bodies in process', () => {
  let app: App;
  let tmp: string;
  const originalTmp = process.env.TMPDIR;
  beforeAll(async () => {
    app = await startTestApp();
    app.server.post(
      '/test/echo',
      handle((req) => ({ body: z.unknown().parse(req.body) ?? null })),
    );
    // Anything that spools an upload to disk would write here.
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cc-uploads-'));
    process.env.TMPDIR = tmp;
  });
  afterAll(async () => {
    process.env.TMPDIR = originalTmp;
    await app.close();
  });
  const post = (route: string, headers: Record<string, string>, body: BodyInit) =>
    fetch(`${app.baseUrl}${route}`, { method: 'POST', headers, body });

  it('writes nothing to the temporary directory for a multipart upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(2 * 1024 * 1024, 7)]), 'upload.bin');
    const res = await fetch(`${app.baseUrl}/test/echo`, { method: 'POST', body: form });
    expect(res.status).toBe(415);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses content types a route does not take, in the error shape', async () => {
    for (const type of [
      'text/csv',
      'text/tab-separated-values',
      'text/plain',
      'application/xml',
      'application/octet-stream',
    ]) {
      const res = await post('/test/echo', { 'content-type': type }, 'a,b,c\n"unterminated');
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({
        error: { code: 'unsupported-media-type', message: 'This endpoint takes application/json bodies only.' },
      });
    }
    // The WhatsApp webhook takes forms only.
    const json = await post('/whatsapp/v1/webhook/wa-x', { 'content-type': 'application/json' }, '{}');
    expect(json.status).toBe(415);
  });

  it('limits bodies per route: the widget API far below the tab API', async () => {
    const message = JSON.stringify({ text: 'x'.repeat(40 * 1024) });
    const widget = await post(
      '/interact/v1/contacts/ct-x/chats/c-x/messages',
      { 'content-type': 'application/json' },
      message,
    );
    expect(widget.status).toBe(413);
    expect(await widget.json()).toEqual({
      error: { code: 'payload-too-large', message: 'The request body is larger than 32768 bytes.' },
    });
    // The same body fits the tab API's limit (and then meets its sign-in check).
    const tab = await post('/api/v1/me/sessions/c-x/messages', { 'content-type': 'application/json' }, message);
    expect(tab.status).toBe(401);
  });

  it('counts a chunked body as it arrives and refuses it past the limit', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 100; i++) controller.enqueue(new Uint8Array(1024).fill(32));
        controller.close();
      },
    });
    const res = await fetch(`${app.baseUrl}/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });

  it('parses JSON and forms, and refuses malformed ones with 400', async () => {
    expect(
      await (await post('/test/echo', { 'content-type': 'application/json; charset=utf-8' }, '{"a":[1,"ü"]}')).json(),
    ).toEqual({ body: { a: [1, 'ü'] } });
    const bad = await post('/test/echo', { 'content-type': 'application/json' }, '{"a":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'invalid-json', message: 'The request body is not valid JSON.' },
    });
    const latin1 = await post('/test/echo', { 'content-type': 'application/json; charset=iso-8859-1' }, '{}');
    expect(latin1.status).toBe(415);
    const invalidUtf8 = await post(
      '/test/echo',
      { 'content-type': 'application/json' },
      new Uint8Array([0x22, 0xff, 0xfe, 0x22]),
    );
    expect(invalidUtf8.status).toBe(400);
    const duplicate = await post(
      '/whatsapp/v1/webhook/wa-x',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'Body=a&Body=b',
    );
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual({
      error: { code: 'duplicate-field', message: 'The form field "Body" is given more than once.' },
    });
  });
});
