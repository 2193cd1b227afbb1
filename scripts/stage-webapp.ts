/**
 * `npm run stage:webapp` (after `npm run build`): lays out what App Service runs, in dist/webapp/, and
 * zips it to dist/webapp.zip.
 *
 * The folder mirrors the repository's layout for what the server needs at run time: the compiled server,
 * the browser bundles it serves, package.json with the lockfile, and production dependencies installed
 * from that lockfile. App Service starts it with `npm run start:prod` and builds nothing itself, so what
 * runs in Azure is exactly what was staged and can be tried locally first:
 * `cd dist/webapp && NODE_ENV=production ... npm run start:prod`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Zippable, zipSync } from 'fflate';

const ROOT = path.resolve(__dirname, '..');
const SERVER_ENTRY = 'dist/bot/src/main.js';
/** Build outputs copied at the same relative paths, so the server finds them as it does in the repository. */
const BUILD_OUTPUTS = ['dist/bot', 'widget/dist', 'tab/dist'];
const STAGE = path.join(ROOT, 'dist', 'webapp');
const ZIP = path.join(ROOT, 'dist', 'webapp.zip');

/** Every regular file under `dir`, keyed by its path inside the zip. Symbolic links (node_modules/.bin) are left out: nothing at run time uses them. */
function filesUnder(dir: string, prefix = ''): Zippable {
  const files: Zippable = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, filesUnder(full, `${name}/`));
    else if (entry.isFile()) files[name] = readFileSync(full);
  }
  return files;
}

function main(): number {
  if (!existsSync(path.join(ROOT, SERVER_ENTRY))) {
    process.stderr.write(`${SERVER_ENTRY} is missing: run \`npm run build\` first.\n`);
    return 1;
  }
  rmSync(STAGE, { recursive: true, force: true });
  rmSync(ZIP, { force: true });
  mkdirSync(STAGE, { recursive: true });
  for (const file of ['package.json', 'package-lock.json', '.npmrc'])
    copyFileSync(path.join(ROOT, file), path.join(STAGE, file));
  for (const output of BUILD_OUTPUTS) {
    if (existsSync(path.join(ROOT, output)))
      cpSync(path.join(ROOT, output), path.join(STAGE, output), { recursive: true });
  }

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: STAGE,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (install.status !== 0) {
    process.stderr.write(`npm ci --omit=dev failed in ${STAGE} (exit ${install.status ?? install.signal}).\n`);
    return 1;
  }

  const zip = zipSync(filesUnder(STAGE), { level: 6 });
  writeFileSync(ZIP, zip);
  process.stdout.write(`Staged ${STAGE} and wrote ${ZIP} (${(zip.length / 1024 / 1024).toFixed(1)} MiB).\n`);
  return 0;
}

process.exitCode = main();
