import { readFileSync } from 'node:fs';

/**
 * Reads a dotenv file as the Agents Toolkit writes them (`NAME=value`, `#` comments, optional quotes).
 * Node's own loader needs Node 20.12; the project supports 20.11.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(raw);
    values[m[1]!] = quoted ? quoted[2]! : raw.replace(/\s+#.*$/, '');
  }
  return values;
}

/** The file's values under the environment's: a variable already set wins, as with `node --env-file`. */
export function withEnvFile(environment: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  const fromFile = parseEnvFile(readFileSync(file, 'utf8'));
  const merged: NodeJS.ProcessEnv = { ...fromFile };
  for (const [k, v] of Object.entries(environment)) if (v !== undefined && v !== '') merged[k] = v;
  return merged;
}
