import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, type AppOptions, startApp } from '../../bot/src/app';
import { loadConfig } from '../../bot/src/config';

type Rate = { burst: number; perMinute: number };

/** The widget API's limits raised: the tests create many chats from one address (per chat: as a test needs). */
export const roomyInteractLimits = (
  perMinute = 6000,
  messagesPerChat: Rate = { burst: 1000, perMinute },
): NonNullable<AppOptions['interact']> => ({
  limits: { perIp: { burst: 1000, perMinute }, createPerIp: { burst: 1000, perMinute }, messagesPerChat },
});

/** The real app (restify + embedded Cosmos) in this process, on a free port, with its own data dir. */
export async function startTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<App> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-app-'));
  const result = loadConfig({ AUTH_MODE: 'local', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env });
  if (!result.ok) throw new Error(`test configuration refused: ${JSON.stringify(result.refusal)}`);
  return startApp(result.value, pino({ level: 'silent' }), options);
}
