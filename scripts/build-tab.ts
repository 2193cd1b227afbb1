/**
 * Builds the Teams tab (tab/src → tab/dist): one minified bundle of the React app with Fluent UI and the
 * Teams SDK, its stylesheet and the page that loads them. The server serves tab/dist at /tab/.
 * Prints the bundle size, raw and gzipped.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'tab/dist');

export async function buildTab(
  options: { quiet?: boolean } = {},
): Promise<{ dir: string; bytes: number; gzipBytes: number }> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: path.join(root, 'tab/src/main.tsx') },
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.css': 'css' },
    legalComments: 'none',
    logLevel: options.quiet ? 'silent' : 'warning',
  });
  copyFileSync(path.join(root, 'tab/index.html'), path.join(outdir, 'index.html'));
  const code = readFileSync(path.join(outdir, 'app.js'));
  const result = { dir: outdir, bytes: code.length, gzipBytes: gzipSync(code).length };
  if (!options.quiet)
    console.log(
      `tab: ${path.relative(root, outdir)}/app.js ${(result.bytes / 1024).toFixed(0)} KB, ${(result.gzipBytes / 1024).toFixed(0)} KB gzipped`,
    );
  return result;
}

if (require.main === module) {
  buildTab().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
