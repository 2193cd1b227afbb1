import type { Logger } from 'pino';
import type { Next, Request, Response, Server } from 'restify';
import { clientAddressOf } from '../../http/client-address';
import { HttpError } from '../../http/errors';
import { RateLimiter } from '../../http/rate-limit';
import { handle, sendError } from '../../http/server';
import type { ChatService } from '../../services/chat/chat-service';
import type { ChatStreams } from '../../services/chat/chat-streams';
import type { InteractService, ResolvedContact } from '../../services/interact/interact-service';
import {
  type ContactConfig,
  CreateChatBody,
  type CreateChatResponse,
  type CustomerMessageEvent,
  type CustomerStatusEvent,
  type EndChatResponse,
  LeaveBeaconBody,
  PostMessageBody,
  type PostMessageResponse,
  TypingBody,
} from '../../contracts';
import { buildOpenApi } from './openapi';
import { streamChatLog } from '../chat-stream';
import { refusalToHttp } from './refusals';
import { ChatParams, ContactParams, EventsQuery, KeyQuery } from './schemas';

export const INTERACT_PREFIX = '/interact/v1';

export type InteractRouteOptions = {
  limits: {
    perIp: { burst: number; perMinute: number };
    createPerIp: { burst: number; perMinute: number };
    messagesPerChat: { burst: number; perMinute: number };
  };
};

export const defaultInteractRouteOptions: InteractRouteOptions = {
  limits: {
    perIp: { burst: 60, perMinute: 120 },
    createPerIp: { burst: 5, perMinute: 10 },
    messagesPerChat: { burst: 20, perMinute: 60 },
  },
};

const CORS_METHODS = 'GET, POST, OPTIONS';
const CORS_HEADERS = 'Content-Type, Authorization, Last-Event-ID';

const bearer = (req: Request): string | undefined => /^Bearer (.+)$/i.exec(req.header('authorization') ?? '')?.[1];

/** The public API the widget calls, with CORS, the domain whitelist and rate limits on every call. */
export function registerInteractRoutes(
  server: Server,
  deps: {
    interact: InteractService;
    chats: ChatService;
    streams: ChatStreams;
    log: Logger;
    options?: Partial<InteractRouteOptions>;
    publicBaseUrl: string;
  },
): void {
  const { interact, chats, streams, log } = deps;
  const options = { ...defaultInteractRouteOptions, ...deps.options };
  const perIp = new RateLimiter(options.limits.perIp.burst, options.limits.perIp.perMinute);
  const createPerIp = new RateLimiter(options.limits.createPerIp.burst, options.limits.createPerIp.perMinute);
  const perChat = new RateLimiter(options.limits.messagesPerChat.burst, options.limits.messagesPerChat.perMinute);

  const limit = (limiter: RateLimiter, key: string) => {
    const result = limiter.take(key, Date.now());
    if (!result.ok)
      throw new HttpError(
        429,
        'rate-limited',
        `Too many requests. Try again in ${result.retryAfterSeconds} seconds.`,
        undefined,
        { 'retry-after': String(result.retryAfterSeconds) },
      );
  };
  const ipOf = (req: Request) => clientAddressOf(req).address;
  const ownOrigin = new URL(deps.publicBaseUrl).origin;
  // Browsers leave out Origin on same-origin GETs (our preview page) but always send Sec-Fetch-Site,
  // which page scripts cannot set. A request with neither is not from a browser page we can vouch for.
  const originOf = (req: Request) =>
    req.header('origin') || (req.header('sec-fetch-site') === 'same-origin' ? ownOrigin : undefined);

  /** Resolves the contact of the URL and shares the response with the page's origin when it may read it. */
  const prepare = async (
    req: Request,
    res: Response,
  ): Promise<{ contact: ResolvedContact | undefined; origin: string | undefined }> => {
    limit(perIp, ipOf(req));
    const { contactId } = ContactParams.parse(req.params);
    const origin = originOf(req);
    const contact = await interact.resolve(contactId);
    if (origin && contact && (await interact.allowedOrigin(contact, origin))) {
      res.header('access-control-allow-origin', origin);
      res.header('vary', 'Origin');
    }
    return { contact, origin };
  };
  const ok = <T>(outcome: { ok: true; value: T } | { ok: false; refusal: Parameters<typeof refusalToHttp>[0] }): T => {
    if (!outcome.ok) throw refusalToHttp(outcome.refusal);
    return outcome.value;
  };

  const preflight = handle(async (req, res) => {
    const { contact, origin } = await prepare(req, res);
    if (!origin || !contact || !(await interact.allowedOrigin(contact, origin)))
      throw new HttpError(403, 'origin-not-allowed', 'This website is not allowed to contact us through this widget.');
    res.header('access-control-allow-methods', CORS_METHODS);
    res.header('access-control-allow-headers', CORS_HEADERS);
    res.header('access-control-max-age', '600');
    res.send(204);
  });

  const contactPath = `${INTERACT_PREFIX}/contacts/:contactId`;
  const chatPath = `${contactPath}/chats/:chatId`;
  for (const path of [
    contactPath,
    `${contactPath}/chats`,
    `${chatPath}/messages`,
    `${chatPath}/typing`,
    `${chatPath}/end`,
    `${chatPath}/events`,
  ])
    server.opts(path, preflight);

  server.get(
    contactPath,
    handle(async (req, res): Promise<ContactConfig> => {
      const { contact, origin } = await prepare(req, res);
      const { key } = KeyQuery.parse(req.query);
      const checked = await interact.check(contact, key, origin);
      // The widget says why before the form: a refusal is readable by any page, an answer only by allowed ones.
      if (!checked.ok && origin) {
        res.header('access-control-allow-origin', origin);
        res.header('vary', 'Origin');
      }
      const c = ok(checked);
      return {
        contactId: c.contactId,
        displayName: c.displayName,
        kind: c.target.kind,
        chat: c.interact.instantMessaging,
        audioVideo: c.interact.audioVideo,
        // The contact's own privacy policy when it has one, else the organization's.
        privacyPolicyUrl: c.interact.privacyPolicyUrl ?? c.tenant.privacyPolicyUrl,
        availability: await interact.availability(c),
        form: {
          displayName: { required: true, maxLength: 100 },
          email: { required: true },
          consent: { required: true },
          message: { required: false, maxLength: 4000 },
        },
      };
    }),
  );

  server.post(
    `${contactPath}/chats`,
    handle(async (req, res) => {
      const { contact, origin } = await prepare(req, res);
      limit(createPerIp, ipOf(req));
      const body = CreateChatBody.parse(req.body);
      const c = ok(await interact.check(contact, body.key, origin));
      const created: CreateChatResponse = await interact.createChat(c, {
        displayName: body.displayName,
        email: body.email,
        message: body.message || null,
      });
      res.send(201, created);
    }),
  );

  const chatCall = async (req: Request, res: Response, token: string | undefined) => {
    const { contact, origin } = await prepare(req, res);
    const { chatId } = ChatParams.parse(req.params);
    return ok(await interact.authorizeChat(contact, chatId, token, origin));
  };

  server.post(
    `${chatPath}/messages`,
    handle(async (req, res) => {
      const { claims } = await chatCall(req, res, bearer(req));
      limit(perChat, claims.chat);
      const { text } = PostMessageBody.parse(req.body);
      const posted: PostMessageResponse = ok(await interact.postCustomerMessage(claims, text));
      res.send(201, posted);
    }),
  );

  server.post(
    `${chatPath}/typing`,
    handle(async (req, res) => {
      const { claims } = await chatCall(req, res, bearer(req));
      limit(perChat, `${claims.chat}:typing`);
      const { typing } = TypingBody.parse(req.body);
      chats.typing(claims.tid, claims.chat, 'customer', typing);
      res.send(204);
    }),
  );

  server.post(
    `${chatPath}/end`,
    handle(async (req, res): Promise<EndChatResponse> => {
      const { claims } = await chatCall(req, res, bearer(req));
      return ok(await interact.endChat(claims));
    }),
  );

  // sendBeacon cannot set headers or wait for a preflight: a form with the token, answered 204 (it is not read).
  server.post(
    `${INTERACT_PREFIX}/beacons/contacts/:contactId/chats/:chatId/leave`,
    handle(async (req, res) => {
      const { token } = LeaveBeaconBody.parse(req.body ?? {});
      const { claims } = await chatCall(req, res, token);
      limit(perChat, `${claims.chat}:leave`);
      interact.leaving(claims);
      res.send(204);
    }),
  );

  server.get(`${chatPath}/events`, (req: Request, res: Response, next: Next) => {
    void streamEvents(req, res).then(
      () => next(false),
      (err: unknown) => {
        sendError(req, res, err);
        next(false);
      },
    );
  });

  /** The customer's event stream: the chat's log, without notes meant for the agent. */
  async function streamEvents(req: Request, res: Response): Promise<void> {
    const query = EventsQuery.parse(req.query);
    const { claims } = await chatCall(req, res, bearer(req) ?? query.token);
    const header = Number(req.header('last-event-id'));
    const after = Number.isInteger(header) && header >= 0 ? header : (query.lastEventId ?? 0);
    await streamChatLog(req, res, {
      chats,
      streams,
      log,
      viewer: 'customer',
      owner: `ip:${ipOf(req)}`,
      tenantId: claims.tid,
      chatId: claims.chat,
      after,
      typingOf: 'agent',
      visible: (event) => event.kind !== 'message' || event.audience === 'all',
      view: (event): CustomerMessageEvent | CustomerStatusEvent =>
        event.kind === 'message'
          ? { seq: event.seq, at: event.at, from: event.from, authorName: event.authorName, text: event.text }
          : {
              seq: event.seq,
              at: event.at,
              state: event.state,
              position: event.position,
              estimatedWaitSeconds: event.estimatedWaitSeconds,
              agentName: event.agentName,
            },
    });
  }

  const openApi = buildOpenApi(deps.publicBaseUrl);
  server.get(
    `${INTERACT_PREFIX}/openapi.json`,
    handle(() => openApi),
  );
}
