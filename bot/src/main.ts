import { type App, startApp } from './app';
import { formatConfigErrors, loadConfig } from './config';
import { createLogger } from './log';
import { formatProductionRefusals, productionRefusals } from './production-guard';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`${formatConfigErrors(result.errors)}\n`);
    process.exit(1);
  }
  const { config } = result;
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
    lines.push(`Data is saved to ${app.store.embedded.snapshotFile} every ${config.store.saveIntervalMs / 1000} s and on stop.`);
  }
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting without waiting.\n`);
      process.exit(1);
    }
    stopping = true;
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
