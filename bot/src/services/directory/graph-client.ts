import { GRAPH_USER_FIELDS, GraphError, GraphUserPage, onOrigin, retryAfterMs } from '../../core/directory';
import type { RetryPolicy } from '../../core/relay';
import { type Result, ok, refuse } from '../../core/result';
import { DeliveryLane, type DeliveryTiming, SendFailure, type SendResult, describeError } from '../delivery';
import type { GuardedHttp, OutboundResult } from '../net/guarded-http';
import type { Clock } from '../routing/clock';
import type { GraphTokens } from './entra-tokens';
import { answerOf, ok2xx } from './answer';

/** Why a Graph read failed, as Graph said it (status and error code) and in a sentence. */
export type GraphFailure = {
  status: number | undefined;
  code: string | undefined;
  message: string;
  /** Throttled or unavailable on every attempt. */
  exhausted: boolean;
};

/** Throttling is waited out (Retry-After) a few times, then the sync stops and says so. */
export const GRAPH_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export type GraphClientOptions = {
  /** GRAPH_URL: https://graph.microsoft.com, or a national cloud's. */
  graphUrl: string;
  tokens: GraphTokens;
  http: Pick<GuardedHttp, 'send'>;
  clock: Clock;
  timing: DeliveryTiming;
  retry?: RetryPolicy;
  timeoutMs?: number;
};

const select = `$select=${GRAPH_USER_FIELDS.join(',')}`;

/**
 * The little of Microsoft Graph (v1.0) the directory import reads: pages of users, with the app's own
 * token. Each page is one attempt of the delivery lane, so throttling (429, 503 with Retry-After) and
 * server errors are retried with the one backoff and a bounded number of attempts; a refusal is not.
 * A link to follow must stay on the Graph endpoint: the token goes with it.
 */
export class GraphClient {
  private readonly lane: DeliveryLane;

  constructor(private readonly options: GraphClientOptions) {
    this.lane = new DeliveryLane({
      windows: [],
      retry: options.retry ?? GRAPH_RETRY_POLICY,
      clock: options.clock,
      sleep: options.timing.sleep,
      random: options.timing.random,
      describe: describeError,
    });
  }

  get graphUrl(): string {
    return this.options.graphUrl;
  }

  /** The first page of a delta round over every user of the directory. */
  usersDeltaUrl(): string {
    return `${this.options.graphUrl}/v1.0/users/delta?${select}`;
  }

  /** The first page of a group's members that are users (transitive members are not included). */
  groupMembersUrl(groupId: string): string {
    return `${this.options.graphUrl}/v1.0/groups/${encodeURIComponent(groupId)}/members/microsoft.graph.user?${select}`;
  }

  /** One page of users at `url` (a first page, a next link or a delta link). */
  async usersPage(tenantId: string, url: string): Promise<Result<GraphUserPage, GraphFailure>> {
    if (!onOrigin(url, this.options.graphUrl))
      return refuse({
        status: undefined,
        code: undefined,
        message: 'a link outside Microsoft Graph',
        exhausted: false,
      });
    const sent = await this.lane.send(`graph:${tenantId}`, () =>
      this.attempt(tenantId, { method: 'GET', url, body: null }, (status, body) => this.usersOf(status, body)),
    );
    return resultOf(sent);
  }

  /**
   * One JSON request to Graph (`path` after the Graph origin, such as `/v1.0/subscriptions`) with the
   * app's token, throttling and server errors retried as for pages of users. `parse` reads a 2xx body
   * (undefined when Graph sent none); a body it cannot read is a final failure.
   */
  async request<T>(
    tenantId: string,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown },
    parse: (body: unknown) => T | undefined,
  ): Promise<Result<T, GraphFailure>> {
    const url = `${this.options.graphUrl}${request.path}`;
    const body = request.body === undefined ? null : JSON.stringify(request.body);
    const sent = await this.lane.send(`graph:${tenantId}`, () =>
      this.attempt(tenantId, { method: request.method, url, body }, (status, raw) => {
        const value = parse(raw);
        if (value === undefined)
          throw new SendFailure({
            status,
            message: 'Microsoft Graph sent an answer that cannot be read.',
            final: true,
          });
        return value;
      }),
    );
    return resultOf(sent);
  }

  close(): void {
    this.lane.close();
  }

  private async attempt<T>(
    tenantId: string,
    request: { method: string; url: string; body: string | null },
    parse: (status: number, body: unknown) => T,
  ): Promise<T> {
    const { tokens, clock } = this.options;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const get = async () =>
      this.options.http.send(
        {
          method: request.method,
          url: request.url,
          headers: {
            Authorization: `Bearer ${await tokens.token(tenantId, clock.timeout(timeoutMs))}`,
            Accept: 'application/json',
            ...(request.body === null ? {} : { 'Content-Type': 'application/json' }),
          },
          body: request.body,
        },
        clock.timeout(timeoutMs),
      );
    let response = await get();
    // A cached token Graph no longer takes (revoked, consent withdrawn and given again): once more, fresh.
    if (response.kind === 'response' && response.status === 401) {
      tokens.forget(tenantId);
      response = await get();
    }
    return this.read(response, timeoutMs, parse);
  }

  private read<T>(response: OutboundResult, timeoutMs: number, parse: (status: number, body: unknown) => T): T {
    const { status, body, headers } = answerOf(response, {
      timeout: `Microsoft Graph did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      unreachable: (detail) => `Microsoft Graph could not be read (${detail}).`,
    });
    if (!ok2xx(status)) {
      const error = GraphError.safeParse(body);
      throw new SendFailure({
        status: status,
        code: error.data?.error.code,
        retryAfterMs: retryAfterMs(headers['retry-after'], this.options.clock.now()),
        message: error.data?.error.message ?? `Microsoft Graph answered HTTP ${status}.`,
      });
    }
    return parse(status, body);
  }

  private usersOf(status: number, body: unknown): GraphUserPage {
    const page = GraphUserPage.safeParse(body);
    if (!page.success)
      throw new SendFailure({
        status,
        message: 'Microsoft Graph sent a page of users that cannot be read.',
        final: true,
      });
    return page.data;
  }
}

/** A send of the delivery lane as the Graph client answers it: the value, or what went wrong and whether retries ran out. */
function resultOf<T>(sent: SendResult<T>): Result<T, GraphFailure> {
  if (sent.ok) return ok(sent.value);
  return refuse({
    status: sent.failure.status,
    code: sent.failure.code,
    message: sent.failure.message,
    exhausted: sent.reason === 'retries-exhausted',
  });
}
