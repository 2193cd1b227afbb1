import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** JSON logs; pretty-printed on a developer's terminal when pino-pretty is installed. */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const options = { level: config.logLevel, base: { app: 'contact-center' } };
  if (process.stdout.isTTY && config.env !== 'production') {
    try {
      require.resolve('pino-pretty');
      return pino({
        ...options,
        transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,app' } },
      });
    } catch {
      // pino-pretty is a dev dependency; production installs log JSON.
    }
  }
  return pino(options);
}
