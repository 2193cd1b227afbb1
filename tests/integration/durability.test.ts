import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, type ServerProcess, startServerProcess, stopServerProcesses } from '../helpers/process';
import { openSse } from '../helpers/sse';

jest.setTimeout(90_000);
afterEach(stopServerProcesses);

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cc-durable-'));
type Chat = { base: string; contactId: string; chatId: string; token: string };

/** A website chat with the demo's Service B, as its widget starts one. */
async function startChat(server: ServerProcess): Promise<Chat> {
  const preview = new URL(server.urls['Widget preview (Service B)']!);
  const contactId = decodeURIComponent(preview.pathname.split('/').pop()!);
  const base = preview.origin;
  const res = await fetch(`${base}/interact/v1/contacts/${encodeURIComponent(contactId)}/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({
      key: preview.searchParams.get('key'),
      displayName: 'Dana Durable',
      email: 'dana@example.com',
      consent: true,
    }),
  });
  expect(res.status).toBe(201);
  return { base, contactId, ...((await res.json()) as { chatId: string; token: string }) };
}

const say = async (chat: Chat, text: string): Promise<number | undefined> => {
  const res = await fetch(
    `${chat.base}/interact/v1/contacts/${encodeURIComponent(chat.contactId)}/chats/${chat.chatId}/messages`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: chat.base, authorization: `Bearer ${chat.token}` },
      body: JSON.stringify({ text }),
    },
  ).catch(() => undefined);
  return res?.status === 201 ? ((await res.json()) as { seq: number }).seq : undefined;
};

/** The chat's whole log as the customer's stream gives it, up to the message `until`. */
async function logOf(chat: Chat, base: string, until: string): Promise<{ seq: number; text?: string }[]> {
  const stream = await openSse(
    `${base}/interact/v1/contacts/${encodeURIComponent(chat.contactId)}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
    { origin: base },
  );
  try {
    const events = await stream.until((e) => e.data.includes(until), 20_000);
    return events.map((e) => JSON.parse(e.data) as { seq: number; text?: string });
  } finally {
    stream.close();
  }
}

const portOf = (server: ServerProcess) => new URL(server.urls.Health!).port;

describe('acknowledged means stored', () => {
  it('keeps every message answered 201 through kill -9, and numbers new ones after them', async () => {
    const dataDir = tempDir();
    const first = await startServerProcess({ DATA_DIR: dataDir, INTERACT_RATE_LIMIT_SCALE: '1000' });
    const chat = await startChat(first);
    // Messages in flight when the process dies: only those answered 201 count as acknowledged.
    const acked = new Map<string, number>();
    let n = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const text = `message ${n++}`;
        const seq = await say(chat, text);
        if (seq !== undefined) acked.set(text, seq);
        if (acked.size >= 60 && !killed) {
          killed = true;
          first.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all([writer(), writer(), writer()]);
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startServerProcess({
      DATA_DIR: dataDir,
      PORT: portOf(first),
      INTERACT_RATE_LIMIT_SCALE: '1000',
    });
    const after = await say({ ...chat, base: chat.base }, 'after the crash');
    expect(after).toBeDefined();
    const log = await logOf(chat, chat.base, 'after the crash');
    const texts = new Map(log.filter((e) => e.text !== undefined).map((e) => [e.text!, e.seq]));
    const lost = [...acked].filter(([text, seq]) => texts.get(text) !== seq);
    expect(lost).toEqual([]);
    // Sequence numbers never repeat: the message after the crash comes after every acknowledged one.
    expect(after!).toBeGreaterThan(Math.max(...acked.values()));
    expect(new Set(log.map((e) => e.seq)).size).toBe(log.length);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('saves its last change when SIGTERM goes to the whole process group, even twice, and exits 0', async () => {
    const dataDir = tempDir();
    // Without the journal, only the save at stop can keep the message: this tests the stop itself.
    const env = { DATA_DIR: dataDir, DATA_JOURNAL: 'false', DATA_SAVE_INTERVAL_SECONDS: '3600' };
    // Info level: the server's own "stopped" line is its exit 0, behind npm.
    const first = await startServerProcess({ ...env, LOG_LEVEL: 'info' }, 30_000, { asNpmStart: true });
    const chat = await startChat(first);
    expect(await say(chat, 'the last change')).toBeDefined();
    // A customer's event stream stays open: the stop must not wait for it to end.
    const stream = await openSse(
      `${chat.base}/interact/v1/contacts/${encodeURIComponent(chat.contactId)}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
      { origin: chat.base },
    );
    await stream.until((e) => e.data.includes('the last change'));
    // As systemd, a container runtime or a terminal's Ctrl+C do: every process of the group, here npm, its
    // shell and the server; npm relays its copy to the server, which gets it twice. Then once more a moment
    // later.
    process.kill(-first.proc.pid!, 'SIGTERM');
    setTimeout(() => {
      try {
        process.kill(-first.proc.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }, 300);
    // npm ends by the stop signal it was sent, as service managers expect of it; the server below it
    // finishes its save and exits 0 (it logs "stopped" just before), however loaded the machine is.
    const npm = await first.exited;
    expect(npm.code === 0 || npm.signal === 'SIGTERM').toBe(true);
    await stream.ended;
    await eventually(() => first.output().includes('"msg":"stopped"'), 20_000);
    expect(first.output()).not.toMatch(/exiting without|took too long|shutdown failed/);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await startServerProcess({ ...env, PORT: portOf(first) });
    const log = await logOf(chat, chat.base, 'the last change');
    expect(log.map((e) => e.text).filter(Boolean)).toContain('the last change');
    second.proc.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });
});
