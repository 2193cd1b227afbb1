/**
 * Builds the customer's widget bundle (widget/src → widget/dist/interact.js): one minified IIFE with no
 * dependencies, for the browsers a customer may use. Prints its size, raw and gzipped.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'widget/dist/interact.js');

export async function buildWidget(
  options: { quiet?: boolean } = {},
): Promise<{ file: string; bytes: number; gzipBytes: number }> {
  await build({
    entryPoints: [path.join(root, 'widget/src/widget.ts')],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019', 'chrome90', 'firefox90', 'safari14'],
    legalComments: 'none',
    logLevel: options.quiet ? 'silent' : 'warning',
  });
  const code = readFileSync(outfile);
  const result = { file: outfile, bytes: code.length, gzipBytes: gzipSync(code).length };
  if (!options.quiet)
    console.log(
      `widget: ${path.relative(root, outfile)} ${(result.bytes / 1024).toFixed(1)} KB, ${(result.gzipBytes / 1024).toFixed(1)} KB gzipped`,
    );
  return result;
}

if (require.main === module) {
  buildWidget().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
