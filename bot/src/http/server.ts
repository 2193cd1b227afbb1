import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { BlockList } from 'node:net';
import { type BodyPolicies, defaultBodyPolicies, readBodies } from './body';
import { rememberClientAddress } from './client-address';
import { toErrorResponse } from './errors';

export type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sends the error shape for anything a handler throws; unexpected errors are logged with the request id. */
export function sendError(req: Request, res: Response, err: unknown): void {
  const { status, body, headers, unexpected } = toErrorResponse(err, req.id());
  if (unexpected) req.log.error({ err, reqId: req.id() }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.header(name, value);
  res.send(status, body);
}

/** Wraps an async handler: its result (if any) is sent as 200 JSON, its errors as the error shape. */
export function handle(handler: Handler) {
  return (req: Request, res: Response, next: Next): void => {
    Promise.resolve()
      .then(() => handler(req, res))
      .then((result) => {
        if (result !== undefined && !res.headersSent) res.send(200, result);
        next();
      })
      .catch((err: unknown) => {
        sendError(req, res, err);
        next(false);
      });
  };
}

/**
 * Wraps a handler that streams (server-sent events): it runs until the client leaves, so it ends the
 * response itself; an error before the stream opened is sent as the error shape.
 */
export function handleStream(run: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: Next): void => {
    void run(req, res).then(
      () => next(false),
      (err: unknown) => {
        sendError(req, res, err);
        next(false);
      },
    );
  };
}

/** restify with request ids, one body pipeline, one JSON error shape, and one structured log line per request. */
export type HttpServerOptions = {
  bodies?: BodyPolicies;
  /** Whose X-Forwarded-For to believe (TRUSTED_PROXIES); nobody's by default. */ trustedProxies?: BlockList;
};

export function createHttpServer(log: Logger, options: HttpServerOptions = {}): Server {
  const trustedProxies = options.trustedProxies ?? new BlockList();
  // @types/restify still describes restify 8 (bunyan); restify 11 logs through pino.
  const server = restify.createServer({
    name: 'contact-center',
    log: log as unknown as restify.ServerOptions['log'],
    handleUncaughtExceptions: false,
    // Passed through to the router: signed links carry tokens longer than its default of 100 characters.
    maxParamLength: 2048,
  } as restify.ServerOptions);

  server.pre((req: Request, res: Response, next: Next) => {
    const incoming = req.header('x-request-id');
    // restify 11's req.id(value) sets the id; the restify 8 typings only know the getter.
    (req as unknown as { id(value: string): string }).id(
      incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID(),
    );
    res.header('x-request-id', req.id());
    (req as Request & { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    rememberClientAddress(req, trustedProxies);
    next();
  });
  // Before routing: no route, not even an unknown one, is reached with a body it was not built for.
  server.pre(readBodies(sendError, options.bodies ?? defaultBodyPolicies));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // A client that sends its request slowly holds a socket; the whole request must arrive within this.
  server.server.requestTimeout = 30_000;

  // Router and body-parser refusals (404, 405, 413, malformed JSON) get the same shape as ours.
  server.on(
    'restifyError',
    (req: Request, _res: Response, err: Error & { toJSON?: () => unknown }, callback: () => void) => {
      const { body } = toErrorResponse(err, req.id());
      err.toJSON = () => body;
      callback();
    },
  );

  server.on('after', (req: Request, res: Response) => {
    const startedAt = (req as Request & { startedAt?: bigint }).startedAt;
    const ms = startedAt === undefined ? undefined : Number(process.hrtime.bigint() - startedAt) / 1e6;
    // The path only: query strings can carry visitor tokens and widget keys.
    const line = { reqId: req.id(), method: req.method, path: req.getPath(), status: res.statusCode, ms };
    if (req.getPath() === '/healthz') log.debug(line, 'request');
    else log.info(line, 'request');
  });
  return server;
}
