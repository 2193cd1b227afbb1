import { promises as fs } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'cosmos.lock';
const held = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${pid} (a running server or command). Stop it first: two processes on one embedded store would overwrite each other's writes.`,
    );
    this.name = 'DataDirInUseError';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Makes this process the only one using an embedded store's data directory: a lock file with its pid.
 * A lock left by a process that no longer runs (a crash, `kill -9`) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  if (held.has(dir)) throw new DataDirInUseError(dir, process.pid);
  const file = path.join(dir, LOCK_FILE);
  const body = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() });
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, body, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = Number((JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}')) as { pid?: unknown }).pid);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
        throw new DataDirInUseError(dir, owner);
      await fs.unlink(file).catch(() => undefined);
    }
  }
  held.add(dir);
  return async () => {
    held.delete(dir);
    await fs.unlink(file).catch(() => undefined);
  };
}
