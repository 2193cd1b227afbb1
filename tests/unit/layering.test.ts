import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The layering of the architecture is a lint rule; these cases prove the rule fires where it must and
 * stays quiet where the import is allowed.
 */
// The config is handed over as an object: ESLint's own loader uses a dynamic import jest's VM refuses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectConfig = require('../../eslint.config.js') as ESLint.Options['overrideConfig'];
const eslint = new ESLint({
  cwd: path.resolve(__dirname, '../..'),
  overrideConfigFile: true,
  overrideConfig: projectConfig,
});

async function restrictedImportErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.resolve(__dirname, '../..', file) });
  // The widget's rule is typescript-eslint's, which can tell type imports apart.
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('layering rules', () => {
  it.each([
    ['bot/src/core/x.ts', "import { CosmosClient } from '@azure/cosmos';\nexport const c = CosmosClient;\n"],
    ['bot/src/core/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['bot/src/core/x.ts', "import { randomUUID } from 'crypto';\nexport const r = randomUUID;\n"],
    ['bot/src/core/x.ts', "import restify from 'restify';\nexport const r = restify;\n"],
    ['bot/src/core/x.ts', "import { openStore } from '../store';\nexport const o = openStore;\n"],
    ['bot/src/core/model/x.ts', "import { handle } from '../../http/server';\nexport const h = handle;\n"],
    ['bot/src/services/x.ts', "import { TurnContext } from 'botbuilder';\nexport const t = TurnContext;\n"],
    ['bot/src/services/x.ts', "import { handle } from '../http/server';\nexport const h = handle;\n"],
    [
      'bot/src/store/x.ts',
      "import { seedDemoTenant } from '../services/demo-tenant';\nexport const s = seedDemoTenant;\n",
    ],
    [
      'bot/src/channels/interact/x.ts',
      "import { Application } from '@microsoft/teams-ai';\nexport const a = Application;\n",
    ],
    ['bot/src/contracts/x.ts', "import { openStore } from '../store';\nexport const o = openStore;\n"],
    ['bot/src/contracts/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['bot/src/core/model/x.ts', "import { Overview } from '../../contracts';\nexport const o = Overview;\n"],
    ['tab/src/x.ts', "import { handle } from '../../bot/src/http/server';\nexport const h = handle;\n"],
    ['widget/src/x.ts', "import { ContactConfig } from '../../bot/src/contracts';\nexport const c = ContactConfig;\n"],
    ['widget/src/x.ts', "import type { Chat } from '../../bot/src/core/model';\nexport type C = Chat;\n"],
    ['widget/src/x.ts', "import { z } from 'zod/v4';\nexport const s = z.string();\n"],
    ['bot/src/channels/api/x.ts', "import type { Store } from '../../store';\nexport type S = Store;\n"],
    [
      'bot/src/channels/teams/x.ts',
      "import { chatScope } from '../../store/partition-keys';\nexport const c = chatScope;\n",
    ],
  ])('refuses in %s: %s', async (file, source) => {
    expect(await restrictedImportErrors(file, source)).toHaveLength(1);
  });

  it.each([
    ['bot/src/channels/teams/x.ts', "import { TurnContext } from 'botbuilder';\nexport const t = TurnContext;\n"],
    ['bot/src/core/x.ts', "import { z } from 'zod/v4';\nexport const s = z.string();\n"],
    ['bot/src/services/x.ts', "import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;\n"],
    ['bot/src/store/x.ts', "import { CosmosClient } from '@azure/cosmos';\nexport const c = CosmosClient;\n"],
    ['bot/src/contracts/x.ts', "import { Customer } from '../core/model';\nexport const c = Customer;\n"],
    ['bot/src/channels/api/x.ts', "import { Overview } from '../../contracts';\nexport const o = Overview;\n"],
    ['tab/src/x.ts', "import { Overview } from '../../bot/src/contracts';\nexport const o = Overview;\n"],
    [
      'widget/src/x.ts',
      "import type { ContactConfig } from '../../bot/src/contracts';\nexport type C = ContactConfig;\n",
    ],
    [
      'widget/src/x.ts',
      "import { type ContactConfig } from '../../bot/src/contracts/interact';\nexport type C = ContactConfig;\n",
    ],
    [
      'bot/src/channels/teams/x.ts',
      "import type { AgentRelayDeps } from '../../services/agent-relay';\nexport type S = AgentRelayDeps['store'];\n",
    ],
    ['bot/src/services/x.ts', "import { chatScope } from '../store';\nexport const c = chatScope;\n"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await restrictedImportErrors(file, source)).toEqual([]);
  });
});

async function storageSyntaxErrors(file: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath: path.resolve(__dirname, '../..', file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('storage knowledge stays in the store', () => {
  it.each([
    [
      'bot/src/services/x.ts',
      "export const q = (r: { query(t: string, s: object): void }) => r.query('t', { where: 'c.x = 1' });\n",
    ],
    ['bot/src/services/x.ts', 'export const scope = (id: string) => `usr:${id}`;\n'],
    ['bot/src/channels/api/x.ts', "export const scope = 'svc:sales';\n"],
    ['bot/src/core/x.ts', 'export const scope = (id: string) => `chat:${id}`;\n'],
    ['tests/integration/x.test.ts', "export const scope = 'svc:sales';\n"],
    ['scripts/x.ts', 'export const scope = (id: string) => `usr:${id}`;\n'],
    ['tests/integration/x.test.ts', 'export const timer = (t: string, u: string) => `rona:${t}:${u}`;\n'],
    ['tests/integration/x.test.ts', "export const timer = (t: string, c: string) => 'customer-away:' + t + ':' + c;\n"],
    ['tests/integration/x.test.ts', 'export const pk = (t: string, u: string) => `${t}|teams:${u}`;\n'],
    ['tests/unit/x.test.ts', 'export const pk = (t: string, scope: string) => `${t}|${scope}`;\n'],
  ])('refuses in %s: %s', async (file, source) => {
    expect(await storageSyntaxErrors(file, source)).toBe(1);
  });

  it.each([
    ['bot/src/store/x.ts', 'export const scope = (id: string) => `usr:${id}`;\n'],
    ['bot/src/services/x.ts', 'export const from = (n: string) => `whatsapp:${n}`;\n'],
    ['bot/src/services/x.ts', 'export const key = (id: string) => `offer:${id}`;\n'],
    // Tests call the repositories' named query(tenantId, filter, scope), and nock's .query().
    [
      'tests/integration/x.test.ts',
      "export const q = (r: { query(t: string, s: object): void }) => r.query('t', {});\n",
    ],
    ['tests/unit/store/partition-keys.test.ts', "export const scope = 'svc:sales';\n"],
    ['scripts/x.ts', 'export const row = (a: string, b: string) => `| ${a} | ${b} |`;\n'],
  ])('allows in %s: %s', async (file, source) => {
    expect(await storageSyntaxErrors(file, source)).toBe(0);
  });
});
