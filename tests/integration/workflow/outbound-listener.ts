import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM_FIELDS, type TemplateValues, WebRequestConfig } from '../../../bot/src/core/workflow';

/** What a test listener saw: every TCP connection, and every request with its body. */
export type Seen = {
  connections: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
};

export type Listener = { port: number; seen: Seen; close(): Promise<void> };

/** A real HTTP server on a loopback address and port 0; `handle` answers each request once its body is read. */
export async function listen(
  host: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_q, res) => res.end('{}'),
): Promise<Listener> {
  const seen: Seen = { connections: 0, requests: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, body);
    });
  });
  server.on('connection', () => seen.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const templateValues = (params: Record<string, string> = {}): TemplateValues => ({
  system: {
    ...(Object.fromEntries(SYSTEM_FIELDS.map((f) => [f, ''])) as TemplateValues['system']),
    channel: 'Interact',
  },
  params,
});

/** A web request as a test calls it directly (not saved: the save-time check is tested elsewhere). */
export const webRequestConfig = (overrides: Record<string, unknown> = {}): WebRequestConfig =>
  WebRequestConfig.parse({
    id: 'wr-1',
    tenantId: 't-1',
    type: 'webRequest',
    unitId: 'unit-1',
    name: 'Lookup',
    method: 'GET',
    url: 'https://crm.example.com/lookup',
    timeoutSeconds: 5,
    responseMappings: [{ path: '$.tier', parameter: 'tier' }],
    ...overrides,
  });
