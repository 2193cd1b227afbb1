import { z } from 'zod/v4';
import {
  type AgentConversation,
  type AgentTransport,
  type AgentView,
  DeliveryError,
  type OutboundActivity,
} from '../../services/agent-relay';
import { renderView } from './render';

const ResourceResponse = z.looseObject({ id: z.string().max(500).optional() });

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Sends and updates activities with the Bot Connector REST API (v3) at the conversation's service URL,
 * with the bot's token. It makes exactly one HTTP call per attempt and reports the status and
 * Retry-After as they came: the send queue owns retries and rate limits, so nothing below it retries
 * on its own (the SDK's connector client would, invisibly).
 */
export class ConnectorTransport implements AgentTransport {
  constructor(
    private readonly token: () => Promise<string | undefined>,
    private readonly timeoutMs = 15_000,
  ) {}

  render(view: AgentView): OutboundActivity[] {
    return renderView(view);
  }

  async send(to: AgentConversation, activity: OutboundActivity): Promise<{ id: string | null }> {
    const body = await this.call('POST', activitiesUrl(to), envelope(to, activity));
    return { id: ResourceResponse.safeParse(body).data?.id ?? null };
  }

  async update(to: AgentConversation, activityId: string, activity: OutboundActivity): Promise<void> {
    await this.call('PUT', `${activitiesUrl(to)}/${encodeURIComponent(activityId)}`, {
      ...envelope(to, activity),
      id: activityId,
    });
  }

  private async call(method: 'POST' | 'PUT', url: string, body: OutboundActivity): Promise<unknown> {
    let token: string | undefined;
    try {
      token = await this.token();
    } catch (err) {
      throw new DeliveryError(
        `no token for the Bot Connector: ${err instanceof Error ? err.message : String(err)}`,
        undefined,
      );
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new DeliveryError(
        `the Bot Connector could not be reached: ${err instanceof Error ? err.message : String(err)}`,
        undefined,
      );
    }
    const text = await response.text().catch(() => '');
    if (!response.ok)
      throw new DeliveryError(
        `the Bot Connector answered ${response.status}`,
        response.status,
        retryAfterMs(response.headers.get('retry-after'), Date.now()),
      );
    try {
      return text ? (JSON.parse(text) as unknown) : {};
    } catch {
      return {};
    }
  }
}

const activitiesUrl = (to: AgentConversation): string =>
  `${to.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(to.conversationId)}/activities`;

/** The addressing every activity to this conversation carries. */
const envelope = (to: AgentConversation, activity: OutboundActivity): OutboundActivity => ({
  ...activity,
  channelId: to.channelId,
  serviceUrl: to.serviceUrl,
  from: { id: to.botId },
  recipient: { id: to.agentAccountId },
  conversation: { id: to.conversationId, conversationType: 'personal' },
});
