import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { eventually } from './process';

const CLI = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

/** A message the bot sent into a Playground conversation, as its conversation stream shows it. */
export type PlaygroundMessage = {
  messageId: string;
  text?: string;
  from: { id: string };
  attachments?: { contentType: string; content: Record<string, unknown> }[];
};
type Frame = { action: string; actionConversationId: string; message: PlaygroundMessage };

export type PlaygroundConfig = {
  tenantId: string;
  bot: { id: string };
  currentUser: { id: string; name: string; aadObjectId: string };
  personalChat: { id: string };
};

/**
 * Microsoft 365 Agents Playground (the local Teams client) against a bot endpoint, offline and
 * headless, driven through the HTTP and WebSocket API its own web page uses. Without a config file it
 * plays its built-in user: a GUID-shaped tenant and aadObjectId, as a real Teams user has.
 */
export class Playground {
  private readonly frames: Frame[] = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    private readonly dir: string,
    readonly base: string,
    readonly config: PlaygroundConfig,
  ) {
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
  }

  static async start(botEndpoint: string): Promise<Playground> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-playground-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Its own sign-in (Azure AD) would take over with these; the bot runs in local mode without.
    for (const k of ['AUTH_CLIENT_ID', 'AUTH_CLIENT_SECRET', 'AUTH_TENANT_ID', 'BOT_ENDPOINT']) delete env[k];
    Object.assign(env, {
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
    });
    const proc = spawn(process.execPath, [CLI, '-e', botEndpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the Playground did not start: ${out}`)), 30_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const m = /Listening on (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Playground exited with ${code}: ${out}`));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${base}/_debug/ping`).catch(() => undefined))?.status === 200);
    // What its page asks first: who it plays (after checking the bot answers).
    const { config } = (await (await fetch(`${base}/_internal/v1/config`)).json()) as { config: PlaygroundConfig };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Playground(proc, ws, dir, base, config);
  }

  private async post(p: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.base}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Playground ${p}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  private get chat(): string {
    return this.config.personalChat.id;
  }

  /** "Add" in Teams: the installation and the bot joining the personal chat. */
  install(): Promise<unknown> {
    return this.post(`/_debug/conversation/${encodeURIComponent(this.chat)}/installation`, {});
  }

  /** The user writes to the bot in their personal chat. */
  say(text: string): Promise<unknown> {
    return this.post(`/_conversation/v1/conversations/${encodeURIComponent(this.chat)}/messages`, {
      from: { id: this.config.currentUser.id },
      text,
      textFormat: 'plain',
    });
  }

  /** The user presses an Action.Execute button of a card the bot sent; the bot's answer (a card) comes back. */
  execute(card: PlaygroundMessage, action: { title: string; verb: string; data: unknown }): Promise<unknown> {
    return this.post('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      from: { id: this.config.currentUser.id },
      conversation: { id: this.chat },
      replyToId: card.messageId,
      value: { action: { type: 'Action.Execute', ...action } },
    });
  }

  /** What the bot sent to the user's personal chat so far (new messages; updates show as their own entries). */
  fromBot(): PlaygroundMessage[] {
    return this.frames
      .filter(
        (f) =>
          (f.action === 'createMessage' || f.action === 'updateMessage') &&
          f.actionConversationId === this.chat &&
          f.message.from.id === this.config.bot.id,
      )
      .map((f) => f.message);
  }

  /** Waits for a message of the bot that matches. */
  waitFor(predicate: (m: PlaygroundMessage) => boolean): Promise<PlaygroundMessage> {
    return eventually(() => this.fromBot().find(predicate));
  }

  async stop(): Promise<void> {
    this.ws.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        this.proc.once('exit', () => resolve());
        this.proc.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The Adaptive Card of a bot message, if it carries one. */
export const cardOf = (m: PlaygroundMessage): Record<string, unknown> | undefined =>
  m.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

/** Every Action.Execute of a card, wherever it sits (actions of the card, action sets in the body). */
export function executeActions(card: unknown): { title: string; verb: string; data: unknown }[] {
  const found: { title: string; verb: string; data: unknown }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string')
        found.push({ title: String(o.title ?? ''), verb: o.verb, data: o.data });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}
