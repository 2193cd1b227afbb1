import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { z } from 'zod/v4';

export const MANIFEST_DIR = path.resolve(__dirname, '../../manifest');
export const MANIFEST_SCHEMA_VERSION = '1.22';

/** `${{NAME}}`: the placeholder syntax the Agents Toolkit also fills, so both build the same package. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const guid = (what: string) =>
  z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, `must be ${what} (a GUID)`);

/** What the manifest template needs from the environment; provisioning writes all four to env/.env.<name>. */
export const PlaceholderValues = z.object({
  TEAMS_APP_ID: guid('the Teams app id'),
  BOT_ID: guid('the bot id: the client id of its managed identity or app registration'),
  AAD_APP_CLIENT_ID: guid('the client id of the app registration Teams single sign-on uses'),
  BOT_DOMAIN: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
      'must be the public host name the app is served on, without https:// or a path (e.g. contoso-cc.azurewebsites.net)',
    ),
});
export type PlaceholderValues = z.infer<typeof PlaceholderValues>;
export type PlaceholderName = keyof PlaceholderValues;

/** Empty values count as unset, as in the server's configuration. */
export function placeholderValues(
  environment: NodeJS.ProcessEnv,
): { ok: true; values: PlaceholderValues } | { ok: false; errors: string[] } {
  const raw = Object.fromEntries(Object.keys(PlaceholderValues.shape).map((k) => [k, environment[k] || undefined]));
  const parsed = PlaceholderValues.safeParse(raw);
  if (parsed.success) return { ok: true, values: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const value = raw[name];
      return value === undefined ? `${name} is not set` : `${name} ${i.message} (got "${value}")`;
    }),
  };
}

export function readManifestTemplate(dir = MANIFEST_DIR): unknown {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

/** Names of every placeholder in the template, in order of first use. */
export function placeholdersIn(template: unknown): string[] {
  return [...new Set([...JSON.stringify(template).matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The template with every placeholder in every string replaced; an unknown placeholder is an error, not an empty string. */
export function fillManifest(template: unknown, values: Record<string, string>): unknown {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`the manifest uses \${{${name}}}, which has no value`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  return fill(template);
}

/** The schema file the @microsoft/app-manifest package ships; read as data, so validation needs no network. */
export function manifestSchemaPath(version = MANIFEST_SCHEMA_VERSION): string {
  const pkg = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(pkg), 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
}

let validator: ((manifest: unknown) => string[]) | undefined;

/** Schema errors as "path message" lines; empty when the manifest is valid. */
export function validateManifest(manifest: unknown): string[] {
  if (!validator) {
    const schema: unknown = JSON.parse(readFileSync(manifestSchemaPath(), 'utf8'));
    // Not strict: the published schema has keywords without a "type" next to them, which strict mode refuses to compile.
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(ajv);
    const validate = ajv.compile(schema as object);
    validator = (m) =>
      validate(m) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
  return validator(manifest);
}
