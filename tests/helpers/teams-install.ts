import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../bot/src/app';
import { FakeConnector, activity, install, newAgent, varsOf } from '../integration/teams/harness';
import { eventually } from './process';

let connector: FakeConnector | undefined;

/**
 * What installing the app in Teams does for a user of a test that is not about Teams: the bot stores
 * their conversation (so offer cards reach them, through a Bot Connector stand-in) and they become
 * reachable. Local mode: the connector is called without a token.
 */
export async function installTeamsApp(app: App, tenantId: string, userId: string, name = 'Alex Wilber') {
  connector ??= new FakeConnector();
  await install(app, connector, tenantId, { ...newAgent(name), aadObjectId: userId });
}

/** What the bot sent to Teams through the stand-in of `installTeamsApp` (every user, in order). */
export const teamsCalls = () => connector?.calls ?? [];

/** A Bot Connector stand-in on a real port, for servers in other processes (and browser tests). */
let local: Promise<{ serviceUrl: string; posts: string[] }> | undefined;
function localConnector(): Promise<{ serviceUrl: string; posts: string[] }> {
  local ??= new Promise((resolve) => {
    const posts: string[] = [];
    let seq = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts.push(`${req.method} ${req.url}`);
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `local-${++seq}` }));
      });
    });
    server.unref();
    server.listen(0, '127.0.0.1', () =>
      resolve({ serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/emea/`, posts }),
    );
  });
  return local;
}

/**
 * Installs the app for a user of the server at `baseUrl` (local mode), in this process or another one:
 * the installation activity Teams sends, with a connector stand-in on a real port as its service URL.
 */
export async function installTeamsAppAt(baseUrl: string, tenantId: string, userId: string, name = 'Alex Wilber') {
  const { serviceUrl, posts } = await localConnector();
  const agent = { ...newAgent(name), aadObjectId: userId };
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity('installation-update-add', { ...varsOf(tenantId, agent), serviceUrl })),
  });
  if (res.status !== 200) throw new Error(`install refused: ${res.status}`);
  // The greeting went out: the conversation is stored.
  await eventually(() => posts.some((p) => p.includes(encodeURIComponent(agent.conversationId))) || undefined);
}
