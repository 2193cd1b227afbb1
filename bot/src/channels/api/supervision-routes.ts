import type { Logger } from 'pino';
import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import type { Dashboard, DashboardChanged, SupervisedChat } from '../../contracts';
import { Id, MAX_MESSAGE_LENGTH } from '../../core/model';
import type { Viewer } from '../../core/supervision';
import { HttpError } from '../../http/errors';
import { handle, handleStream } from '../../http/server';
import type { ChatService } from '../../services/chat/chat-service';
import type { ChatStreams } from '../../services/chat/chat-streams';
import type {
  SupervisionRefusal,
  SupervisionResult,
  SupervisionService,
} from '../../services/supervision/supervision-service';
import { openEventStream } from '../chat-stream';
import type { Principal } from './auth';
import { eventView, streamAgentView } from './sessions-routes';

const ChatParam = z.object({ chatId: Id });
const MessageBody = z
  .object({ text: z.string().trim().min(1, 'Write a message first.').max(MAX_MESSAGE_LENGTH) })
  .strict();

/** Dashboard streams one user may hold open at once (tabs, a reconnect racing its predecessor). */
const STREAMS_PER_USER = 5;

const STATUS: Record<SupervisionRefusal['code'], number> = {
  forbidden: 403,
  'not-found': 404,
  'not-live': 409,
  conflict: 409,
};

function unwrap<T>(result: SupervisionResult<T>): T {
  if (result.ok) return result.value;
  throw new HttpError(STATUS[result.refusal.code], result.refusal.code, result.refusal.message);
}

const viewerOf = (p: Principal): Viewer => ({ tenantId: p.tenantId, userId: p.userId, isAdmin: p.isAdmin });

export type SupervisionRouteOptions = { heartbeatMs: number; coalesceMs: number };

/**
 * Supervision for admins (every service of their tenant) and supervisors (the services, or units, they
 * are named for): the live dashboard and its change stream, and the live chats of those services,
 * read (with a live stream), whispered in, barged into or taken over. Every check runs on the server;
 * the tenant is always the caller's own.
 */
export function registerSupervisionApi(
  server: Server,
  deps: {
    prefix: string;
    authenticate: (req: Request) => Promise<Principal>;
    supervision: SupervisionService;
    chats: ChatService;
    streams: ChatStreams;
    log: Logger;
    options?: Partial<SupervisionRouteOptions>;
  },
): void {
  const { authenticate, supervision, chats, streams, log } = deps;
  const options: SupervisionRouteOptions = { heartbeatMs: 15_000, coalesceMs: 300, ...deps.options };
  const base = `${deps.prefix}/supervision`;
  const openStreams = new Map<string, number>();
  const notASupervisor = () =>
    new HttpError(403, 'not-a-supervisor', 'Only admins and the supervisors of a service can do this.');
  const supervisor = async (req: Request): Promise<Principal> => {
    const p = await authenticate(req);
    if (!(await supervision.supervisesAny(viewerOf(p)))) throw notASupervisor();
    return p;
  };

  server.get(
    `${base}/dashboard`,
    // The dashboard's own scope answers whether the caller supervises anything: no second look.
    handle(async (req): Promise<Dashboard> => {
      const viewer = viewerOf(await authenticate(req));
      const board = await supervision.dashboard(viewer);
      if (!viewer.isAdmin && board.services.length === 0) throw notASupervisor();
      return board;
    }),
  );

  const stream = handleStream;

  /**
   * Tells the dashboard when what it shows changed (a task queued, rang, connected or ended, an agent's
   * state, today's counters); the tab refetches. Changes are coalesced into one notice per interval.
   */
  server.get(
    `${base}/stream`,
    stream(async (req, res) => {
      const p = await supervisor(req);
      const key = `${p.tenantId}/${p.userId}`;
      const open = openStreams.get(key) ?? 0;
      if (open >= STREAMS_PER_USER) throw new HttpError(429, 'too-many-streams', 'Too many open dashboards.');
      openStreams.set(key, open + 1);
      openEventStream(res);
      let closed = false;
      let pending: DashboardChanged['kind'] | undefined;
      let timer: NodeJS.Timeout | undefined;
      const write = (kind: DashboardChanged['kind']) => {
        if (!closed) res.write(`event: changed\ndata: ${JSON.stringify({ kind } satisfies DashboardChanged)}\n\n`);
      };
      const stop = supervision.watch(p.tenantId, (kind) => {
        pending = kind;
        timer ??= setTimeout(() => {
          timer = undefined;
          if (pending) write(pending);
          pending = undefined;
        }, options.coalesceMs);
      });
      const heartbeat = setInterval(() => write('heartbeat'), options.heartbeatMs);
      await new Promise<void>((resolve) =>
        req.on('close', () => {
          closed = true;
          clearInterval(heartbeat);
          if (timer) clearTimeout(timer);
          stop();
          const left = (openStreams.get(key) ?? 1) - 1;
          if (left > 0) openStreams.set(key, left);
          else openStreams.delete(key);
          res.end();
          resolve();
        }),
      );
    }),
  );

  server.get(
    `${base}/chats/:chatId`,
    handle(async (req): Promise<SupervisedChat> => {
      const p = await authenticate(req);
      const { chatId } = ChatParam.parse(req.params);
      const { chat, task, service } = unwrap(await supervision.monitor(viewerOf(p), chatId));
      const events = await chats.eventsAfter(p.tenantId, chatId, 0);
      return {
        chatId,
        taskId: task.id,
        serviceId: service?.id ?? null,
        serviceName: service?.name ?? null,
        state: chat.state,
        taskState: task.state,
        customer: chat.customer,
        channel: chat.channel,
        agent: chat.agent,
        mine: task.assignedUserId === p.userId,
        supervision: task.supervision ?? [],
        events: events.map(eventView),
        lastSeq: events.reduce((max, e) => Math.max(max, e.seq), 0),
      };
    }),
  );

  /** The chat's events live, whole (notes for the agent included), read-only: nothing is written here. */
  server.get(
    `${base}/chats/:chatId/stream`,
    stream(async (req, res) => {
      const p = await authenticate(req);
      const { chatId } = ChatParam.parse(req.params);
      unwrap(await supervision.live(viewerOf(p), chatId));
      await streamAgentView(req, res, {
        chats,
        streams,
        log,
        owner: `supervisor:${p.tenantId}/${p.userId}`,
        tenantId: p.tenantId,
        chatId,
      });
    }),
  );

  server.post(
    `${base}/chats/:chatId/whisper`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      const { text } = MessageBody.parse(req.body);
      const seq = unwrap(await supervision.whisper(viewerOf(p), ChatParam.parse(req.params).chatId, text));
      res.send(201, { seq });
    }),
  );

  server.post(
    `${base}/chats/:chatId/barge-in`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      const { text } = MessageBody.parse(req.body);
      const seq = unwrap(await supervision.bargeIn(viewerOf(p), ChatParam.parse(req.params).chatId, text));
      res.send(201, { seq });
    }),
  );

  server.post(
    `${base}/chats/:chatId/take-over`,
    handle(async (req) => {
      const p = await authenticate(req);
      const task = unwrap(await supervision.takeOver(viewerOf(p), ChatParam.parse(req.params).chatId));
      return { taskId: task.id, chatId: task.chatId, agentUserId: task.assignedUserId };
    }),
  );
}
