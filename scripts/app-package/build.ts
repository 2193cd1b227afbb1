import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { MANIFEST_DIR, fillManifest, placeholderValues, readManifestTemplate, validateManifest } from './manifest';

// A fixed timestamp makes the same inputs give the same bytes, so a rebuilt package can be compared.
const ZIP_MTIME = new Date(2020, 0, 1);

export type AppPackage = { zip: Uint8Array; manifest: unknown };
export type BuildResult = { ok: true; pkg: AppPackage } | { ok: false; errors: string[] };

/** Fills the template from the environment, checks it against the v1.22 schema offline, and zips it with the icons. */
export function buildAppPackage(environment: NodeJS.ProcessEnv, dir = MANIFEST_DIR): BuildResult {
  const values = placeholderValues(environment);
  if (!values.ok) return { ok: false, errors: values.errors };

  let manifest: unknown;
  try {
    manifest = fillManifest(readManifestTemplate(dir), values.values);
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  const schemaErrors = validateManifest(manifest);
  if (schemaErrors.length > 0) return { ok: false, errors: schemaErrors.map((e) => `manifest ${e}`) };

  // Teams wants these three files at the root of the zip and nothing else.
  const zip = zipSync(
    {
      'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
      'color.png': readFileSync(path.join(dir, 'color.png')),
      'outline.png': readFileSync(path.join(dir, 'outline.png')),
    },
    { level: 9, mtime: ZIP_MTIME },
  );
  return { ok: true, pkg: { zip, manifest } };
}
