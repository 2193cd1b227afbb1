import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Every server this test process started and that has not exited: stopped after each test, and on exit. */
const live = new Set<ChildProcess>();
/** Those started in a process group of their own: killed as a group, so no child is left behind. */
const groups = new WeakSet<ChildProcess>();
const kill = (p: ChildProcess) => {
  try {
    if (groups.has(p) && p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
    else p.kill('SIGKILL');
  } catch {
    // Already gone.
  }
};
process.once('exit', () => live.forEach(kill));

/** Stops the servers a test left running (a failed assertion must not leave a process behind). */
export async function stopServerProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(
      (p) =>
        new Promise<void>((resolve) => {
          p.once('exit', () => resolve());
          kill(p);
        }),
    ),
  );
}

/** What the start banner lists, in order, in local mode with the demo tenant. */
export const DEMO_BANNER_URL_NAMES = [
  'Health',
  'Widget preview (Service B)',
  'Widget preview (User Y)',
  'Teams tab (local sign-in)',
  'Interact API (OpenAPI)',
  'Embedded Cosmos',
];

export type ServerProcess = {
  proc: ChildProcess;
  /** Name → URL, read from the start banner. */
  urls: Record<string, string>;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Runs `bot/src/main.ts` as its own process, as `npm start` does, and waits for its start banner. */
export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 20000,
  how: { asNpmStart?: boolean } = {},
): Promise<ServerProcess> {
  // `asNpmStart`: the README's `npm start` itself (npm is a parent process that relays signals), without
  // its prestart builds, in a process group of its own, so a test can signal the whole group as a
  // terminal or systemd does.
  const [command, args] = how.asNpmStart
    ? ['npm', ['start', '--ignore-scripts', '--silent']]
    : [process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts']];
  const proc = spawn(command, args, {
    detached: how.asNpmStart === true,
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      npm_config_update_notifier: 'false',
      AUTH_MODE: 'local',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  if (how.asNpmStart) groups.add(proc);
  proc.once('exit', () => live.delete(proc));
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const start = out.indexOf('Contact center is running');
      const end = out.indexOf('Press Ctrl+C to stop.', start);
      if (start < 0 || end < 0) return;
      const urls: Record<string, string> = {};
      for (const line of out.slice(start, end).split('\n')) {
        const m = /^ {2}(.+?)\s{2,}(\S+)$/.exec(line);
        if (m) urls[m[1]!] = m[2]!;
      }
      clearTimeout(timer);
      proc.stdout.off('data', onData);
      resolve({ proc, urls, output: () => out, exited });
    };
    proc.stdout.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${out}`));
    });
  });
}

/** Runs main.ts to completion (for refusals at start-up). */
export async function runServerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  return { code, output };
}

/** Polls until the check passes (for effects of background timers; no timing assertions). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
