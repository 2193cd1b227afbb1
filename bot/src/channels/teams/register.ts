import { type Activity, CloudAdapter, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { Config } from '../../config';
import { TEAMS_CONVERSATION_LIMITS } from '../../core/relay';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import { AgentRelay, type AgentRelayDeps } from '../../services/agent-relay';
import type { ChatService } from '../../services/chat/chat-service';
import type { DeliveryTiming, InstanceRegistry } from '../../services/delivery';
import { type Clock, type Routing, systemClock } from '../../services/routing';
import type { TeamLinks } from '../../services/team-links';
import { ActivityEnvelope } from './activity';
import { createTeamsApplication } from './application';
import { type AuthenticateRequestResult, type BotAuth, createBotAuth } from './bot-auth';
import { ConnectorTransport } from './connector-transport';

/** The SDK's adapter, taking a request we have already authenticated (so a refusal is always our 401). */
class AuthenticatedCloudAdapter extends CloudAdapter {
  run(authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authenticated, activity, logic);
  }
}

export type TeamsBotDeps = {
  config: Config;
  store: AgentRelayDeps['store'];
  routing: Routing;
  chats: ChatService;
  log: Logger;
  clock?: Clock;
  ids?: AgentRelayDeps['ids'];
  delivery?: Partial<DeliveryTiming>;
  /** The bot's authentication, when the composition root shares its outbound token (the team rosters). */
  auth?: BotAuth;
  /** Services linked to teams: the team events go there. */
  teams?: TeamLinks;
  /** This instance's share of the per-conversation limits when several instances run (full limits by default). */
  instances?: Pick<InstanceRegistry, 'share' | 'id' | 'isLive' | 'onDeparture'>;
};

export type TeamsBot = { relay: AgentRelay; stop(): void };

/**
 * The Teams bot on `POST /api/messages`: Bot Framework authentication of every request (unless the
 * configuration is explicitly local), a CloudAdapter turn through the Teams AI application, and the
 * agent relay following routing and the chats. It stops with the server it is registered on.
 */
export function registerTeamsBot(server: Server, deps: TeamsBotDeps): TeamsBot {
  const log = deps.log.child({ channel: 'teams' });
  const auth = deps.auth ?? createBotAuth(deps.config.auth);
  const adapter = new AuthenticatedCloudAdapter(auth.botFrameworkAuthentication);
  adapter.onTurnError = async (context, err) => {
    log.error({ err, activity: context.activity.id, type: context.activity.type }, 'Teams turn failed');
  };
  const relay = new AgentRelay({
    store: deps.store,
    routing: deps.routing,
    chats: deps.chats,
    transport: new ConnectorTransport(() => auth.outboundToken()),
    clock: deps.clock ?? systemClock,
    log,
    windows: deps.instances ? deps.instances.share(TEAMS_CONVERSATION_LIMITS) : TEAMS_CONVERSATION_LIMITS,
    queue: deps.delivery,
    ids: deps.ids,
    ownership: deps.instances,
  });
  const app = createTeamsApplication({ relay, log }, deps.teams ? { teams: deps.teams, log } : undefined);
  relay.start();

  server.post(
    '/api/messages',
    handle(async (req, res) => {
      const envelope = ActivityEnvelope.parse(req.body);
      // Activities are authenticated before the SDK runs anything; a refusal is a 401 whatever the cause.
      const activity = envelope as unknown as Activity;
      let authenticated: AuthenticateRequestResult;
      try {
        authenticated = await auth.authenticate(activity, req.header('authorization') ?? '');
      } catch (err) {
        log.warn(
          { reason: err instanceof Error ? err.message : String(err), type: envelope.type },
          'Teams request refused: not authenticated',
        );
        throw new HttpError(401, 'unauthorized', 'The request is not authenticated.');
      }
      const invokeResponse = await adapter.run(authenticated, activity, async (context) => {
        await app.run(context);
      });
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body ?? {});
    }),
  );

  const stop = () => relay.stop();
  server.once('close', stop);
  return { relay, stop };
}
