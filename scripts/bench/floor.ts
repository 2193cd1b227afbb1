import type { AddressInfo } from 'node:net';
import pino from 'pino';
import restify from 'restify';

/**
 * The floor: the same hops the product makes, through a bare restify server that stores nothing.
 * A POST relayed to another server (customer → agent connector), and a POST turned into an SSE event
 * (agent → customer). The product's figures are reported as multiples of these.
 */
export async function startFloorServer(relayTo: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = restify.createServer({
    name: 'floor',
    log: pino({ level: 'silent' }) as unknown as restify.ServerOptions['log'],
  } as restify.ServerOptions);
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const streams = new Set<restify.Response>();
  server.post('/relay', (req, res, next) => {
    void fetch(relayTo(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req.body),
    }).then(() => {
      res.send(201, { ok: true });
      next();
    });
  });
  server.get('/events', (req, res, next) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    req.on('close', () => {
      streams.delete(res);
      next(false);
    });
  });
  server.post('/broadcast', (req, res, next) => {
    for (const stream of streams) stream.write(`id: 1\nevent: message\ndata: ${JSON.stringify(req.body)}\n\n`);
    res.send(201, { ok: true });
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
      }),
  };
}
