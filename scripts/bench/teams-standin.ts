import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bot sent to an agent's conversation, as the Bot Connector would receive it. */
export type ReceivedActivity = {
  at: number;
  conversationId: string;
  method: 'POST' | 'PUT';
  activity: Record<string, unknown>;
};

type CardAction = { type?: string; verb?: string; data?: Record<string, unknown>; title?: string };

/** Every Action.Execute of the adaptive cards an activity carries. */
export function cardActions(activity: Record<string, unknown>): CardAction[] {
  const found: CardAction[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute') found.push(o as CardAction);
      Object.values(o).forEach(walk);
    }
  };
  walk(activity.attachments);
  return found;
}

/** All text of an activity (message text and card text blocks), to find a marker in it. */
export function activityText(activity: Record<string, unknown>): string {
  return JSON.stringify([activity.text ?? '', activity.attachments ?? []]);
}

/**
 * A Bot Connector on loopback: the agents' serviceUrl. It answers the bot's sends and card updates as
 * the connector does and hands each received activity to the bench.
 */
export async function startConnectorStandIn(
  onActivity: (received: ReceivedActivity) => void,
): Promise<{ url: string; close(): Promise<void>; relayUrl: string }> {
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (req.url === '/floor-relay') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        onActivity({
          at,
          conversationId: 'floor',
          method: 'POST',
          activity: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
        });
        return;
      }
      if (!m || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const id = m[2] ? decodeURIComponent(m[2]) : `activity-${++counter}`;
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
      const activity = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      onActivity({
        at,
        conversationId: decodeURIComponent(m[1]!),
        method: req.method as 'POST' | 'PUT',
        activity: { ...activity, id },
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    relayUrl: `${url}/floor-relay`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real-shaped Teams activity from an agent in their personal chat with the bot. */
export function agentActivity(
  agent: { tenantId: string; userId: string; name: string; conversationId: string; serviceUrl: string },
  activity: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: `f:${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: agent.serviceUrl,
    from: { id: `29:${agent.userId}`, name: agent.name, aadObjectId: agent.userId },
    conversation: { conversationType: 'personal', tenantId: agent.tenantId, id: agent.conversationId },
    recipient: { id: '28:bench-bot', name: 'Contact Center' },
    channelData: { tenant: { id: agent.tenantId } },
    locale: 'en-US',
    ...activity,
  };
}

type StandInAgent = Parameters<typeof agentActivity>[0];

/** The agent pressing Accept on an offer card the stand-in received: the card's own action, posted back. */
export function acceptActivity(agent: StandInAgent, card: ReceivedActivity): Record<string, unknown> {
  const accept = cardActions(card.activity).find((a) => a.verb === 'offer.accept');
  if (!accept) throw new Error('the activity is no offer card with an Accept action');
  return agentActivity(agent, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: card.activity.id,
    value: {
      action: { type: 'Action.Execute', title: 'Accept', verb: accept.verb, data: accept.data },
      trigger: 'manual',
    },
  });
}
