import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v4';
import { Env, loadConfig } from '../../../bot/src/config';
import { productionRefusals } from '../../../bot/src/production-guard';
import { PARTITION_KEY_PATH, containerSpecs } from '../../../bot/src/store/containers';
import { parseEnvFile } from '../../../scripts/app-package/env-file';
import { placeholdersIn } from '../../../scripts/app-package/manifest';

/**
 * The deployment files are only read by Azure and the Agents Toolkit, which are not here; these tests hold
 * them to the code they deploy: the settings the server needs, the containers the store opens, and the
 * variables each provisioning step reads.
 */
const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const bicep = read('infra/azure.bicep');

/** Lines of the `{ ... }` block that opens on the first line matching `opening`, without comments. */
function block(text: string, opening: RegExp): string[] {
  const lines = text.split('\n').map((l) => l.replace(/(^|\s)\/\/(\s.*)?$/, ''));
  const start = lines.findIndex((l) => opening.test(l));
  if (start < 0) throw new Error(`no line matches ${opening}`);
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i]!.match(/[{[]/g) ?? []).length - (lines[i]!.match(/[}\]]/g) ?? []).length;
    if (depth === 0) return lines.slice(start + 1, i);
  }
  throw new Error(`block at ${opening} is not closed`);
}

/** name → Bicep expression of the web app's settings. */
function appSettings(): Record<string, string> {
  const resource = block(bicep, /^resource appSettings 'Microsoft\.Web\/sites\/config@/);
  const properties = block(resource.join('\n'), /^\s{2}properties: \{$/);
  return Object.fromEntries(
    properties
      .filter((l) => l.trim())
      .map((l) => {
        const m = /^\s*([A-Z][A-Z0-9_]*): (.+)$/.exec(l);
        if (!m) throw new Error(`unexpected app settings line: ${l}`);
        return [m[1]!, m[2]!.trim()];
      }),
  );
}

function paramDefault(name: string): string {
  const m = new RegExp(`^param ${name} string = '([^']*)'$`, 'm').exec(bicep);
  if (!m) throw new Error(`param ${name} has no string default`);
  return m[1]!;
}

const CLIENT_ID = '7f0c2f4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';
const TENANT_ID = '99999999-8888-4777-8666-555555555555';
const HOST = 'cc-dev-abc123.azurewebsites.net';

/** What App Service puts in the environment for each expression (sample values of the right shape). */
const resolved: Record<string, string> = {
  'identity.properties.clientId': CLIENT_ID,
  'identity.properties.tenantId': TENANT_ID,
  tabSsoClientId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
  'cosmos.properties.documentEndpoint': 'https://cc-dev-abc123.documents.azure.com:443/',
  "'https://${webApp.properties.defaultHostName}'": `https://${HOST}`,
  cosmosDatabaseName: paramDefault('cosmosDatabaseName'),
};

function evaluate(expression: string): string {
  const literal = /^'([^'$]*)'$/.exec(expression);
  if (literal) return literal[1]!;
  const value = resolved[expression];
  if (value === undefined) throw new Error(`add a sample value for the Bicep expression ${expression}`);
  return value;
}

/** The web app's environment as App Service hands it to the process (it adds PORT itself). */
function webAppEnvironment(): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(appSettings()).map(([k, v]) => [k, evaluate(v)])), PORT: '8080' };
}

// Read by the platform or by @azure/identity, not by the server's configuration schema.
const PLATFORM_SETTINGS = ['AZURE_CLIENT_ID', 'SCM_DO_BUILD_DURING_DEPLOYMENT'];

describe('the web app settings in infra/azure.bicep', () => {
  it('start the server in production: the configuration schema and the production guard accept them', () => {
    const result = loadConfig(webAppEnvironment(), '/home/site/wwwroot');
    if (!result.ok)
      throw new Error(
        `the Bicep app settings are refused:\n${result.refusal.map((e) => `${e.variable} ${e.message}`).join('\n')}`,
      );
    expect(productionRefusals(result.value)).toEqual([]);
    expect(result.value.env).toBe('production');
    expect(result.value.auth).toEqual({
      mode: 'botframework',
      appId: CLIENT_ID,
      password: undefined,
      type: 'UserAssignedMSI',
      tenantId: TENANT_ID,
    });
    // Managed identity, not a key, and the database the Bicep creates.
    expect(result.value.store).toEqual({
      kind: 'cosmos',
      endpoint: 'https://cc-dev-abc123.documents.azure.com/',
      key: undefined,
      database: paramDefault('cosmosDatabaseName'),
    });
    expect(result.value.http).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicBaseUrl: `https://${HOST}`,
      trustedProxies: ['private'],
    });
  });

  it('name only variables the server or the platform reads', () => {
    const known = new Set([...Object.keys(Env.shape), ...PLATFORM_SETTINGS]);
    expect(Object.keys(appSettings()).filter((name) => !known.has(name))).toEqual([]);
  });

  it('let the Azure SDK use the identity that holds the Cosmos DB role and runs the bot', () => {
    const settings = appSettings();
    expect(settings.AZURE_CLIENT_ID).toBe('identity.properties.clientId');
    expect(settings.BOT_ID).toBe(settings.AZURE_CLIENT_ID);
    const role = block(
      bicep,
      /^resource cosmosDataAccess 'Microsoft\.DocumentDB\/databaseAccounts\/sqlRoleAssignments@/,
    ).join('\n');
    expect(role).toMatch(/principalId: identity\.properties\.principalId/);
    expect(role).toMatch(/roleDefinitionId: '\$\{cosmos\.id\}\/sqlRoleDefinitions\/\$\{cosmosDataContributorRoleId\}'/);
    expect(bicep).toMatch(/^var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'$/m);
  });

  it('never hand the app a Cosmos DB key: key access is disabled on the account', () => {
    expect(Object.keys(appSettings())).not.toContain('COSMOS_KEY');
    expect(block(bicep, /^resource cosmos 'Microsoft\.DocumentDB\/databaseAccounts@/).join('\n')).toMatch(
      /disableLocalAuth: true/,
    );
  });
});

describe('the Azure resources in infra/azure.bicep', () => {
  it('create every container the store opens, partitioned on its key path', () => {
    const ids = block(bicep, /^var containerIds = \[$/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => /^'([^']+)'$/.exec(l)?.[1] ?? l);
    expect(ids.sort()).toEqual(containerSpecs.map((c) => c.id).sort());
    expect(bicep).toMatch(new RegExp(`^var partitionKeyPath = '${PARTITION_KEY_PATH}'$`, 'm'));
    const container = block(
      bicep,
      /^resource containers 'Microsoft\.DocumentDB\/databaseAccounts\/sqlDatabases\/containers@/,
    ).join('\n');
    expect(container).toMatch(/paths: \[\s*partitionKeyPath\s*\]\s*kind: 'Hash'/);
  });

  it('make Cosmos DB serverless by default', () => {
    expect(bicep).toMatch(/^param cosmosServerless bool = true$/m);
    expect(bicep).toMatch(/capabilities: cosmosServerless \? \[\s*\{\s*name: 'EnableServerless'\s*\}\s*\] : \[\]/);
  });

  it('run the web app on Node 22 LTS, over HTTPS only, as the staged package starts', () => {
    const site = block(bicep, /^resource webApp 'Microsoft\.Web\/sites@/).join('\n');
    expect(site).toMatch(/httpsOnly: true/);
    expect(site).toMatch(/linuxFxVersion: 'NODE\|22-lts'/);
    const command = /appCommandLine: 'npm run ([\w:-]+)'/.exec(site)?.[1];
    const scripts = z
      .object({ scripts: z.record(z.string(), z.string()) })
      .parse(JSON.parse(read('package.json'))).scripts;
    expect(command && scripts[command]).toMatch(/^node .*dist\/bot\/src\/main\.js$/);
  });

  it('register the bot on the Teams channel with the web app as its messaging endpoint', () => {
    const bot = block(bicep, /^resource bot 'Microsoft\.BotService\/botServices@/).join('\n');
    expect(bot).toMatch(/endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppId: identity\.properties\.clientId/);
    expect(block(bicep, /^resource teamsChannel 'Microsoft\.BotService\/botServices\/channels@/).join('\n')).toMatch(
      /channelName: 'MsTeamsChannel'/,
    );
  });
});

const Step = z.object({
  uses: z.string(),
  with: z.record(z.string(), z.unknown()).optional(),
  writeToEnvironmentFile: z.record(z.string(), z.string()).optional(),
});
const Project = z.object({
  version: z.string(),
  environmentFolderPath: z.string(),
  provision: z.array(Step),
  deploy: z.array(Step),
  publish: z.array(Step),
});

const project = Project.parse(parseYaml(read('m365agents.yml')));
const envTemplate = parseEnvFile(read('env/.env.dev'));
const bicepOutputs = [...bicep.matchAll(/^output (\w+) string = /gm)].map((m) => m[1]!);

/** Files a step reads whose placeholders the toolkit fills before using them. */
const FILE_INPUTS: Record<string, string[]> = {
  'arm/deploy': [],
  'aadApp/update': ['manifestPath'],
  'teamsApp/validateManifest': ['manifestPath'],
  'teamsApp/zipAppPackage': ['manifestPath'],
};

function variablesReadBy(step: z.infer<typeof Step>): string[] {
  const files = (FILE_INPUTS[step.uses] ?? []).map((key) => String(step.with?.[key]));
  if (step.uses === 'arm/deploy') {
    const templates = z.array(z.object({ path: z.string(), parameters: z.string() })).parse(step.with?.templates);
    files.push(...templates.map((t) => t.parameters));
  }
  const fromFiles = files.flatMap((f) => placeholdersIn(JSON.parse(read(f))));
  return [...new Set([...placeholdersIn(step.with ?? {}), ...fromFiles])];
}

/** The sign-in app's scope id: aadApp/update generates it on first run, before using it. */
const generatedBy = (step: z.infer<typeof Step>) =>
  step.uses === 'aadApp/update' ? ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'] : [];

/** Variables each step adds to the environment file. */
function variablesWrittenBy(step: z.infer<typeof Step>): string[] {
  if (step.uses === 'arm/deploy') return bicepOutputs;
  if (step.uses === 'aadApp/update') return generatedBy(step);
  if (step.uses === 'teamsApp/create')
    return [...Object.values(step.writeToEnvironmentFile ?? {}), 'TEAMS_APP_TENANT_ID'];
  return Object.values(step.writeToEnvironmentFile ?? {});
}

describe('the project file m365agents.yml', () => {
  it('reads every file it names from the repository', () => {
    const paths = [...project.provision, ...project.deploy, ...project.publish].flatMap((s) => [
      ...['manifestPath'].map((k) => s.with?.[k]).filter((p): p is string => typeof p === 'string'),
      ...(s.uses === 'arm/deploy'
        ? z
            .array(z.object({ path: z.string(), parameters: z.string() }))
            .parse(s.with?.templates)
            .flatMap((t) => [t.path, t.parameters])
        : []),
    ]);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it('gives every step the variables it reads, from env/.env.dev or an earlier provisioning step', () => {
    // The toolkit asks for a subscription and a resource group when they are empty.
    const available = new Set([
      ...Object.entries(envTemplate)
        .filter(([, v]) => v)
        .map(([k]) => k),
      'AZURE_SUBSCRIPTION_ID',
      'AZURE_RESOURCE_GROUP_NAME',
    ]);
    const missing: string[] = [];
    for (const step of project.provision) {
      for (const name of variablesReadBy(step))
        if (!available.has(name) && !generatedBy(step).includes(name)) missing.push(`${step.uses} reads ${name}`);
      for (const name of variablesWrittenBy(step)) available.add(name);
    }
    expect(missing).toEqual([]);
    const laterReads = [...project.deploy, ...project.publish].flatMap((s) => placeholdersIn(s.with ?? {}));
    expect(laterReads.filter((name) => !available.has(name))).toEqual([]);
  });

  it('lists every variable provisioning and publishing write in the env/.env.dev template', () => {
    const written = [...project.provision, ...project.publish].flatMap(variablesWrittenBy);
    expect(written.filter((name) => !(name in envTemplate))).toEqual([]);
  });

  it('deploys what `npm run stage:webapp` stages to the web app the Bicep creates', () => {
    const scripts = z
      .object({ scripts: z.record(z.string(), z.string()) })
      .parse(JSON.parse(read('package.json'))).scripts;
    const npmArgs = project.deploy.filter((s) => s.uses === 'cli/runNpmCommand').map((s) => s.with?.args);
    expect(npmArgs).toEqual([expect.stringMatching(/^ci\b/), 'run build', 'run stage:webapp']);
    expect(scripts['stage:webapp']).toBeDefined();
    const zipDeploy = project.deploy.find((s) => s.uses === 'azureAppService/zipDeploy');
    expect(zipDeploy?.with).toEqual({
      artifactFolder: './dist/webapp',
      resourceId: '${{AZURE_APP_SERVICE_RESOURCE_ID}}',
    });
    expect(bicepOutputs).toContain('AZURE_APP_SERVICE_RESOURCE_ID');
  });
});
