import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod/v4';
import type {
  AcceptResult,
  AgentView,
  ChatEventView,
  History,
  HistoryDetail,
  Overview,
  OverviewChanged,
  SessionDetail,
  SessionEvents,
  WrapUp,
} from '../../contracts';
import { type ChatEvent, Id, MAX_MESSAGE_LENGTH, Presence, SessionWrapUp } from '../../core/model';
import { handle, handleStream } from '../../http/server';
import { type ChatStreamOptions, openEventStream, streamChatLog } from '../chat-stream';
import type { ChatService } from '../../services/chat/chat-service';
import type { ChatStreams } from '../../services/chat/chat-streams';
import type { SessionResult, SessionsService } from '../../services/sessions/sessions-service';
import type { Principal } from './auth';
import { registerPickupApi } from './pickup-routes';
import { sessionRefusalToHttp } from './tab-refusals';

const ChatParam = z.object({ chatId: Id });
const TaskParam = z.object({ taskId: Id });
const SessionParam = z.object({ sessionId: Id });
const AfterQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });
const PresenceBody = z.object({ presence: Presence }).strict();
const MessageBody = z
  .object({ text: z.string().trim().min(1, 'Write a message first.').max(MAX_MESSAGE_LENGTH) })
  .strict();
const TypingBody = z.object({ typing: z.boolean() }).strict();
const WrapUpBody = SessionWrapUp.pick({ code: true, tags: true, note: true }).strict();

export type SessionsRouteOptions = { heartbeatMs: number };

/** What the tab receives of one chat event. Agent-only notes are shown to the agent, never to the customer. */
export function eventView(event: ChatEvent): ChatEventView {
  if (event.kind === 'message') {
    return {
      seq: event.seq,
      at: event.at,
      kind: event.kind,
      from: event.from,
      authorName: event.authorName,
      text: event.text,
      audience: (event as { audience?: 'all' | 'agent' }).audience ?? 'all',
      ...(event.supervision ? { supervision: event.supervision } : {}),
    };
  }
  return { seq: event.seq, at: event.at, kind: event.kind, state: event.state, agentName: event.agentName };
}

/**
 * One chat's whole log as the agent's side sees it (notes for the agent included), live: resumes after
 * Last-Event-ID (or `after`), fills gaps from the store, forwards the customer's typing.
 */
export async function streamAgentView(
  req: Request,
  res: Response,
  o: Pick<ChatStreamOptions, 'chats' | 'streams' | 'log' | 'owner' | 'tenantId' | 'chatId'>,
): Promise<void> {
  const header = Number(req.header('last-event-id'));
  const after = Number.isInteger(header) && header >= 0 ? header : AfterQuery.parse(req.query).after;
  await streamChatLog(req, res, {
    ...o,
    viewer: 'agent',
    after,
    typingOf: 'customer',
    visible: () => true,
    view: eventView,
  });
}

const unwrap = <T>(result: SessionResult<T>): T => {
  if (!result.ok) throw sessionRefusalToHttp(result.refusal);
  return result.value;
};

/**
 * My Sessions: the signed-in agent's offers, live chats, availability and history. The agent is always
 * the signed-in user; no URL names another user, so an agent reaches only their own sessions.
 */
export function registerSessionsApi(
  server: Server,
  deps: {
    prefix: string;
    authenticate: (req: Request) => Promise<Principal>;
    sessions: SessionsService;
    chats: ChatService;
    streams: ChatStreams;
    log: Logger;
    options?: Partial<SessionsRouteOptions>;
  },
): void {
  const { prefix, authenticate, sessions, chats, streams, log } = deps;
  const options: SessionsRouteOptions = { heartbeatMs: 15_000, ...deps.options };
  const me = `${prefix}/me`;
  registerPickupApi(server, { me, authenticate, sessions });

  server.get(
    `${me}/sessions`,
    handle(async (req): Promise<Overview> => {
      const p = await authenticate(req);
      return sessions.overview(p.tenantId, p.userId);
    }),
  );

  server.put(
    `${me}/presence`,
    handle(async (req): Promise<AgentView> => {
      const p = await authenticate(req);
      return sessions.setPresence(p.tenantId, p.userId, PresenceBody.parse(req.body).presence);
    }),
  );

  server.post(
    `${me}/rona-reset`,
    handle(async (req): Promise<AgentView> => {
      const p = await authenticate(req);
      return sessions.resetRona(p.tenantId, p.userId);
    }),
  );

  server.post(
    `${me}/offers/:taskId/accept`,
    handle(async (req): Promise<AcceptResult> => {
      const p = await authenticate(req);
      return unwrap(await sessions.accept(p.tenantId, p.userId, TaskParam.parse(req.params).taskId));
    }),
  );

  server.post(
    `${me}/offers/:taskId/decline`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      unwrap(await sessions.decline(p.tenantId, p.userId, TaskParam.parse(req.params).taskId));
      res.send(204);
    }),
  );

  server.get(
    `${me}/sessions/:chatId`,
    handle(async (req): Promise<SessionDetail> => {
      const p = await authenticate(req);
      return unwrap(await sessions.session(p.tenantId, p.userId, ChatParam.parse(req.params).chatId));
    }),
  );

  server.get(
    `${me}/sessions/:chatId/events`,
    handle(async (req): Promise<SessionEvents> => {
      const p = await authenticate(req);
      const { after } = AfterQuery.parse(req.query);
      return {
        events: unwrap(await sessions.events(p.tenantId, p.userId, ChatParam.parse(req.params).chatId, after)).map(
          eventView,
        ),
      };
    }),
  );

  server.post(
    `${me}/sessions/:chatId/messages`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      const { text } = MessageBody.parse(req.body);
      res.send(
        201,
        eventView(unwrap(await sessions.postMessage(p.tenantId, p.userId, ChatParam.parse(req.params).chatId, text))),
      );
    }),
  );

  server.post(
    `${me}/sessions/:chatId/typing`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      unwrap(
        await sessions.typing(
          p.tenantId,
          p.userId,
          ChatParam.parse(req.params).chatId,
          TypingBody.parse(req.body).typing,
        ),
      );
      res.send(204);
    }),
  );

  server.post(
    `${me}/sessions/:chatId/end`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      unwrap(await sessions.end(p.tenantId, p.userId, ChatParam.parse(req.params).chatId));
      res.send(204);
    }),
  );

  server.get(
    `${me}/history`,
    handle(async (req): Promise<History> => {
      const p = await authenticate(req);
      return { sessions: await sessions.history(p.tenantId, p.userId) };
    }),
  );

  server.get(
    `${me}/history/:sessionId`,
    handle(async (req): Promise<HistoryDetail> => {
      const p = await authenticate(req);
      const detail = unwrap(
        await sessions.historyDetail(p.tenantId, p.userId, SessionParam.parse(req.params).sessionId),
      );
      return { ...detail, events: detail.events.map(eventView) };
    }),
  );

  server.put(
    `${me}/history/:sessionId/wrap-up`,
    handle(async (req): Promise<WrapUp> => {
      const p = await authenticate(req);
      return unwrap(
        await sessions.saveWrapUp(
          p.tenantId,
          p.userId,
          SessionParam.parse(req.params).sessionId,
          WrapUpBody.parse(req.body),
        ),
      );
    }),
  );

  const stream = handleStream;

  /**
   * One chat's events for its agent (SSE over an authenticated fetch: the tab sends its bearer token,
   * which EventSource cannot). Resumes after Last-Event-ID, fills gaps from the store, forwards the
   * customer's typing, and closes after the chat's "ended" status.
   */
  server.get(
    `${me}/sessions/:chatId/stream`,
    stream(async (req, res) => {
      const p = await authenticate(req);
      const { chatId } = ChatParam.parse(req.params);
      unwrap(await sessions.canFollow(p.tenantId, p.userId, chatId));
      await streamAgentView(req, res, {
        chats,
        streams,
        log,
        owner: `user:${p.tenantId}/${p.userId}`,
        tenantId: p.tenantId,
        chatId,
      });
    }),
  );

  /**
   * Tells the tab when its overview changed (an offer arrived or went, a chat connected or ended, the
   * availability changed); the tab then refetches. The heartbeat also nudges a refetch, which covers
   * changes made by another server process.
   */
  server.get(
    `${me}/stream`,
    stream(async (req, res) => {
      const p = await authenticate(req);
      openEventStream(res);
      let closed = false;
      const notify = (kind: OverviewChanged['kind']) => {
        if (!closed) res.write(`event: changed\ndata: ${JSON.stringify({ kind } satisfies OverviewChanged)}\n\n`);
      };
      const stop = sessions.watch(p.tenantId, p.userId, (n) => notify(n.kind));
      const heartbeat = setInterval(() => notify('heartbeat'), options.heartbeatMs);
      req.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        stop();
        res.end();
      });
      await new Promise<void>((resolve) => req.on('close', () => resolve()));
    }),
  );
}
