/**
 * `npm run package:app [-- --env <name>] [-- --out <file>]`: writes the Teams app package.
 *
 * Placeholder values come from the environment; `--env dev` also reads env/.env.dev, where provisioning
 * writes them (variables already set in the shell win). The zip goes to dist/app-package/ unless --out says
 * otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAppPackage } from './app-package/build';
import { withEnvFile } from './app-package/env-file';
import { MANIFEST_SCHEMA_VERSION } from './app-package/manifest';

const ROOT = path.resolve(__dirname, '..');

function main(): number {
  let args: { env?: string; out?: string };
  try {
    args = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nUsage: npm run package:app [-- --env <name>] [-- --out <file>]\n`);
    return 2;
  }
  if (args.env !== undefined && !/^[a-z0-9-]+$/i.test(args.env)) {
    process.stderr.write(`--env must be an environment name such as dev (got "${args.env}")\n`);
    return 2;
  }

  const envFile = args.env === undefined ? undefined : path.join(ROOT, 'env', `.env.${args.env}`);
  let environment = process.env;
  if (envFile) {
    try {
      environment = withEnvFile(process.env, envFile);
    } catch (err) {
      process.stderr.write(`Cannot read ${path.relative(ROOT, envFile)}: ${(err as Error).message}\n`);
      return 1;
    }
  }

  const result = buildAppPackage(environment);
  if (!result.ok) {
    const source = envFile ? `the environment and ${path.relative(ROOT, envFile)}` : 'the environment';
    process.stderr.write(
      [`Cannot build the app package from ${source}:`, ...result.errors.map((e) => `  ${e}`)].join('\n') + '\n',
    );
    return 1;
  }

  const out = path.resolve(
    args.out ?? path.join(ROOT, 'dist', 'app-package', args.env ? `appPackage.${args.env}.zip` : 'appPackage.zip'),
  );
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, result.pkg.zip);
  process.stdout.write(
    `Wrote ${out} (${result.pkg.zip.length} bytes): manifest valid against schema v${MANIFEST_SCHEMA_VERSION}.\n`,
  );
  return 0;
}

process.exitCode = main();
