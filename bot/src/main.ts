import path from 'node:path';
import { type App, startApp } from './app';
import { formatConfigErrors, loadConfig } from './config';
import { createLogger } from './log';
import { formatProductionRefusals, productionRefusals } from './production-guard';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const SIGNAL_ECHO_MS = 1_000;

async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`${formatConfigErrors(result.refusal)}\n`);
    process.exit(1);
  }
  const config = result.value;
  const refusals = productionRefusals(config);
  if (refusals.length > 0) {
    process.stderr.write(`${formatProductionRefusals(refusals)}\n`);
    process.exit(1);
  }
  const log = createLogger(config);

  let app: App;
  try {
    app = await startApp(config, log);
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    process.stderr.write(`Start-up failed: ${(err as Error).message}\n`);
    process.exit(1);
  }

  const width = Math.max(...app.urls.map((u) => u.name.length));
  const lines = [
    `Contact center is running (store: ${app.store.kind}, auth: ${config.auth.mode})`,
    ...app.urls.map((u) => `  ${u.name.padEnd(width)}  ${u.url}`),
  ];
  if (config.store.kind === 'embedded' && app.store.embedded?.snapshotFile) {
    const dir = path.dirname(app.store.embedded.snapshotFile);
    lines.push(
      app.store.embedded.journaled
        ? `Data is kept in ${dir}: every write is journaled before it is answered, and folded into a snapshot every ${config.store.saveIntervalMs / 1000} s and on stop.`
        : `Data is saved to ${app.store.embedded.snapshotFile} every ${config.store.saveIntervalMs / 1000} s and on stop (DATA_JOURNAL=false: a crash loses what changed since).`,
    );
  }
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  // One stop often arrives several times: sent to the whole process group (a terminal's Ctrl+C,
  // systemd, container runtimes) and relayed again by a parent such as tsx or npm. Signals within a
  // second of the first are that same stop; after that, a second one is answered and a third abandons
  // the save. So any stop, once or repeated, ends in a clean save unless someone insists three times.
  let stopping: { at: number; again: number } | undefined;
  const stop = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (stopping) {
      if (now - stopping.at < SIGNAL_ECHO_MS) return;
      stopping.again += 1;
      if (stopping.again >= 2) {
        process.stderr.write(`${signal} again: exiting without finishing the save.\n`);
        process.exit(1);
      }
      process.stderr.write(`Still saving; send ${signal} once more to exit without waiting.\n`);
      return;
    }
    stopping = { at: now, again: 0 };
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
