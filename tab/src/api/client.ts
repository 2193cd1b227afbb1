import { z } from 'zod/v4';
import { ErrorResponse, FieldProblem, RequestProblem } from '../../../bot/src/contracts';

/** `details` of a refusal that names fields: the admin rules' `field`, or the request's `path`. */
const Problems = z.array(
  z.object({
    field: FieldProblem.shape.field.optional(),
    path: RequestProblem.shape.path.optional(),
    message: z.string(),
  }),
);

/** A refusal or failure the page can show as it is: the server writes its messages for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems of a refused change, when the server named them. */
  get problems(): { field: string; message: string }[] {
    const parsed = Problems.safeParse(this.details);
    return parsed.success ? parsed.data.map((p) => ({ field: p.field ?? p.path ?? '', message: p.message })) : [];
  }
}

export type TokenSource = () => Promise<string>;

/**
 * Calls /api/v1 with the bearer token and parses every answer with its schema, so a page never works
 * on data it has not checked.
 */
export class ApiClient {
  constructor(
    private readonly token: TokenSource,
    private readonly onUnauthenticated: () => void = () => undefined,
  ) {}

  private async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
    }
    if (!res.ok) {
      const parsed = ErrorResponse.safeParse(await res.json().catch(() => undefined));
      const error = parsed.success
        ? parsed.data.error
        : { code: 'http', message: `The server answered ${res.status}. Try again.`, details: undefined };
      if (res.status === 401) this.onUnauthenticated();
      throw new ApiError(res.status, error.code, error.message, error.details);
    }
    return res;
  }

  async call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success)
      throw new ApiError(
        res.status,
        'unexpected-answer',
        'The server sent an answer this page does not understand. Reload the page.',
      );
    return parsed.data;
  }

  /** For calls answered with 204 No Content. */
  async send(method: string, path: string, body?: unknown): Promise<void> {
    await this.request(method, path, body);
  }

  get = <T>(schema: z.ZodType<T>, path: string) => this.call(schema, 'GET', path);

  /** A file the server sends (an export), as the browser will save it. */
  async download(path: string): Promise<Blob> {
    return (await this.request('GET', path)).blob();
  }

  /** Opens a server-sent event stream with the bearer token (EventSource cannot send one). */
  async stream(path: string, signal: AbortSignal, lastEventId?: number): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}`, {
        headers: {
          authorization: `Bearer ${await this.token()}`,
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }),
        },
        signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    if (!res.ok || !res.body) {
      const parsed = ErrorResponse.safeParse(await res.json().catch(() => undefined));
      if (res.status === 401) this.onUnauthenticated();
      throw new ApiError(
        res.status,
        parsed.success ? parsed.data.error.code : 'http',
        parsed.success ? parsed.data.error.message : 'The live connection was refused.',
      );
    }
    return res;
  }
}
