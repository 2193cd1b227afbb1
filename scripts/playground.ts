/**
 * `npm run playground`: Microsoft 365 Agents Playground, the local Teams client, against the bot of
 * `npm start` (http://localhost:3978/api/messages, or PORT / --endpoint), signed in as the demo agent
 * Alex Wilber of the demo organization. It opens its chat page in the browser; offers arrive there as
 * cards, as they would in Teams.
 *
 *   npm run playground                     as Alex Wilber (contoso-demo / agent-alex)
 *   npm run playground -- --as megan       as Megan Bowen
 *   npm run playground -- --builtin        as the Playground's own user (a new organization to set up)
 *   npm run playground -- --endpoint URL   another bot endpoint
 *
 * It runs offline: both telemetry switches are set, and no sign-in to Azure is configured.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_TENANT_ID, demoIds } from '../bot/src/services/demo-tenant';

const { values } = parseArgs({
  options: {
    as: { type: 'string', default: 'alex' },
    builtin: { type: 'boolean', default: false },
    endpoint: { type: 'string' },
  },
});
const endpoint = values.endpoint ?? `http://localhost:${process.env.PORT ?? '3978'}/api/messages`;

const people = {
  alex: { id: demoIds.agents[0], name: 'Alex Wilber', mail: 'alex.wilber@contoso.example' },
  megan: { id: demoIds.agents[1], name: 'Megan Bowen', mail: 'megan.bowen@contoso.example' },
} as const;
const who = people[values.as as keyof typeof people];
if (!who) {
  process.stderr.write(`--as must be one of ${Object.keys(people).join(', ')}\n`);
  process.exit(2);
}

/** The Playground's config: the demo tenant and agent, plus the five users and chats it insists on. */
const account = (id: string, name: string, mail: string) => {
  const [given, ...rest] = name.split(' ');
  return [
    `  id: "29:${id}"`,
    `  name: ${name}`,
    `  userPrincipleName: ${mail}`,
    `  aadObjectId: ${id}`,
    `  givenName: ${given}`,
    `  surname: "${rest.join(' ')}"`,
    `  email: ${mail}`,
  ];
};
const others = [1, 2, 3, 4, 5].map((n) =>
  account(`colleague-${n}`, `Colleague ${n}`, `colleague${n}@contoso.example`)
    .map((line, i) => (i === 0 ? `  -${line.slice(1)}` : `  ${line}`))
    .join('\n'),
);
const yml = [
  'version: "0.1.1"',
  `tenantId: ${DEMO_TENANT_ID}`,
  'bot:',
  '  id: "28:contact-center-bot"',
  '  name: Contact Center',
  'currentUser:',
  ...account(who.id, who.name, who.mail),
  'users:',
  ...others,
  'personalChat:',
  `  id: "a:personal-${who.id}"`,
  'groupChat:',
  '  id: "19:contoso-group@thread.v2"',
  '  name: Contoso group',
  'team:',
  '  id: "19:contoso-team@thread.tacv2"',
  '  name: Contoso',
  '  aadGroupId: 0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  '  channels:',
  '    - id: "19:contoso-support@thread.tacv2"',
  '      name: Support',
  '',
].join('\n');

const dir = mkdtempSync(path.join(os.tmpdir(), 'contact-center-playground-'));
if (!values.builtin) writeFileSync(path.join(dir, '.m365agentsplayground.yml'), yml);
const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
const env: NodeJS.ProcessEnv = { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' };
for (const k of ['AUTH_CLIENT_ID', 'AUTH_CLIENT_SECRET', 'AUTH_TENANT_ID']) delete env[k];
process.stdout.write(
  `Agents Playground against ${endpoint}, as ${values.builtin ? 'its built-in user' : `${who.name} (${DEMO_TENANT_ID})`}.\n` +
    'Send "status available" in the chat, then start a chat from a widget preview of the start banner.\n',
);
const child = spawn(process.execPath, [cli, '-e', endpoint, '-c', 'msteams', '--disable-telemetry'], {
  cwd: dir,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
