import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { buildAppPackage } from '../../../scripts/app-package/build';
import {
  MANIFEST_DIR,
  PlaceholderValues,
  fillManifest,
  placeholdersIn,
  readManifestTemplate,
  validateManifest,
} from '../../../scripts/app-package/manifest';
import { decodePng, pngSize } from './png';

const ROOT = path.resolve(__dirname, '../../..');

const values = {
  TEAMS_APP_ID: '3c1f0a52-7d4e-4b8a-9f61-0e2d5c7b8a90',
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_CLIENT_ID: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
  BOT_DOMAIN: 'cc-dev-abc123.azurewebsites.net',
};

type Manifest = {
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: {
    botId: string;
    scopes: string[];
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
  staticTabs: { entityId: string; name: string; contentUrl: string; scopes: string[] }[];
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
};

function filled(): Manifest {
  return fillManifest(readManifestTemplate(), values) as Manifest;
}

function build(env: Record<string, string> = values): { zip: Uint8Array; manifest: unknown } {
  const result = buildAppPackage(env);
  if (!result.ok) throw new Error(`package refused: ${result.errors.join('; ')}`);
  return result.pkg;
}

describe('the manifest template', () => {
  it('uses exactly the placeholders the packaging fills', () => {
    expect(placeholdersIn(readManifestTemplate()).sort()).toEqual(Object.keys(PlaceholderValues.shape).sort());
  });

  it('passes the v1.22 schema once filled', () => {
    const manifest = filled();
    expect(manifest.manifestVersion).toBe('1.22');
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('declares the bot, personal and in teams (a service can follow a team), with its personal commands', () => {
    const [bot, ...others] = filled().bots;
    expect(others).toEqual([]);
    expect(bot?.botId).toBe(values.BOT_ID);
    expect(bot?.scopes).toEqual(['personal', 'team']);
    expect(bot?.commandLists.map((l) => l.scopes)).toEqual([['personal']]);
    expect(bot?.commandLists[0]?.commands.map((c) => c.title)).toEqual([
      'status available',
      'status away',
      'status offline',
      'sessions',
      'pickup',
      'reset rona',
      'help',
    ]);
    for (const command of bot?.commandLists[0]?.commands ?? []) expect(command.description.length).toBeGreaterThan(0);
  });

  // A static tab shows for everyone who has the app; the Interact tab is for license holders only, so it
  // is a section of the app that appears with the license, not a pinned tab.
  it('pins My Sessions and Admin as personal tabs served by the app, and no Interact tab for everyone', () => {
    const tabs = filled().staticTabs;
    expect(tabs.map((t) => [t.name, t.contentUrl])).toEqual([
      ['My Sessions', `https://${values.BOT_DOMAIN}/tab/#/sessions`],
      ['Admin', `https://${values.BOT_DOMAIN}/tab/#/admin`],
    ]);
    for (const tab of tabs) expect(tab.scopes).toEqual(['personal']);
  });

  it('allows the app domain and names the sign-in app for single sign-on', () => {
    const manifest = filled();
    expect(manifest.id).toBe(values.TEAMS_APP_ID);
    expect(manifest.validDomains).toEqual([values.BOT_DOMAIN]);
    expect(manifest.webApplicationInfo).toEqual({
      id: values.AAD_APP_CLIENT_ID,
      resource: `api://${values.BOT_DOMAIN}/${values.AAD_APP_CLIENT_ID}`,
    });
  });

  it('is refused by the schema when it is wrong', () => {
    const manifest = filled();
    const bots = manifest.bots.map((b) => ({ ...b, botId: 'not-a-guid' }));
    expect(validateManifest({ ...manifest, bots })).toEqual([
      expect.stringMatching(/^\/bots\/0\/botId must match pattern/),
    ]);
    expect(validateManifest({ ...manifest, manifestVersion: '1.21' })).toEqual([
      '/manifestVersion must be equal to constant',
    ]);
    expect(validateManifest({ ...manifest, botsTypo: [] })).toEqual(['/ must NOT have additional properties']);
    const { icons: _icons, ...withoutIcons } = manifest;
    expect(validateManifest(withoutIcons)).toEqual(["/ must have required property 'icons'"]);
  });
});

describe('building the app package', () => {
  it('names every missing or malformed value instead of writing a package', () => {
    const result = buildAppPackage({ BOT_ID: 'abc', BOT_DOMAIN: 'https://cc.example.com/', AAD_APP_CLIENT_ID: '' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'TEAMS_APP_ID is not set',
        expect.stringMatching(/^BOT_ID must be the bot id.*\(got "abc"\)$/),
        'AAD_APP_CLIENT_ID is not set',
        expect.stringMatching(/^BOT_DOMAIN must be the public host name.*\(got "https:\/\/cc.example.com\/"\)$/),
      ],
    });
  });

  it('zips manifest.json, color.png and outline.png at the root and nothing else', () => {
    const files = unzipSync(build().zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as Manifest;
    expect(manifest).toEqual(filled());
    expect(validateManifest(manifest)).toEqual([]);
    expect(Object.keys(files)).toEqual(expect.arrayContaining([manifest.icons.color, manifest.icons.outline]));
    expect(Buffer.from(files['color.png']!).equals(readFileSync(path.join(MANIFEST_DIR, 'color.png')))).toBe(true);
    expect(Buffer.from(files['outline.png']!).equals(readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toBe(true);
  });

  it('gives the same bytes for the same inputs', () => {
    expect(Buffer.from(build().zip).equals(Buffer.from(build().zip))).toBe(true);
  });

  it('is what `npm run package:app` writes, with values from the environment', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'cc-pkg-')), 'app.zip');
    // --env dev reads the committed template, whose empty values must not override the shell's.
    const run = spawnSync('npm', ['run', '-s', 'package:app', '--', '--env', 'dev', '--out', out], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...values },
      encoding: 'utf8',
    });
    expect(run.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Wrote ${out}`);
    const files = unzipSync(readFileSync(out));
    expect(validateManifest(JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')))).toEqual([]);
  });

  it('fails the npm script with the reasons when values are missing', () => {
    const run = spawnSync(
      'npm',
      ['run', '-s', 'package:app', '--', '--out', path.join(os.tmpdir(), 'never-written.zip')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BOT_ID: values.BOT_ID },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Cannot build the app package from the environment:\n  TEAMS_APP_ID is not set\n  AAD_APP_CLIENT_ID is not set\n  BOT_DOMAIN is not set',
    );
  });
});

describe('the icons', () => {
  const color = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
  const outline = readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

  it('are 192×192 (colour) and 32×32 (outline) PNGs', () => {
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
  });

  it('draw the outline in white on a transparent background', () => {
    const { rgba } = decodePng(outline);
    const pixels = Array.from({ length: rgba.length / 4 }, (_, i) => rgba.subarray(i * 4, i * 4 + 4));
    const visible = pixels.filter((p) => p[3]! > 0);
    expect(visible.every((p) => p[0] === 255 && p[1] === 255 && p[2] === 255)).toBe(true);
    // Corners are background; the glyph covers a fair share without filling the square.
    for (const i of [0, 31, 32 * 31, 32 * 32 - 1]) expect(pixels[i]![3]).toBe(0);
    expect(visible.length / pixels.length).toBeGreaterThan(0.2);
    expect(visible.length / pixels.length).toBeLessThan(0.8);
  });

  it('fill the colour icon edge to edge, so Teams shows no transparent frame', () => {
    const { rgba } = decodePng(color);
    const alphas = new Set(Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4 + 3]));
    expect([...alphas]).toEqual([255]);
    const colours = new Set(
      Array.from({ length: rgba.length / 4 }, (_, i) => rgba.subarray(i * 4, i * 4 + 3).join(',')),
    );
    expect(colours.size).toBeGreaterThan(2);
  });
});
