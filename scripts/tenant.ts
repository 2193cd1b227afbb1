/**
 * Onboarding for operators, against whichever store the environment configures (the embedded one in
 * DATA_DIR, or Cosmos DB with COSMOS_ENDPOINT/COSMOS_KEY):
 *
 *   npm run tenant -- create --tenant <Entra tenant id> --name "Contoso" --admin <object id> --admin-name "Ada Admin"
 *        [--admin-email ada@contoso.com] [--root-unit "Contoso"] [--im-licenses 10] [--contact-center 1]
 *        [--interact-service 1] [--interact-users 0] [--no-im] [--no-interact] [--privacy-url https://…]
 *   npm run tenant -- list
 *   npm run tenant -- rebuild-reports --tenant <Entra tenant id>
 *
 * It does what the setup page does, without asking who may: whoever holds the store's keys decides.
 * With the embedded store the server must be stopped first (the data directory takes one process).
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { formatConfigErrors, loadConfig } from '../bot/src/config';
import { SetupInput } from '../bot/src/contracts/setup';
import { Id } from '../bot/src/core/model';
import { Onboarding } from '../bot/src/services/accounts/onboarding';
import { mailOf } from '../bot/src/services/accounts/provisioning';
import { ReportingService } from '../bot/src/services/reporting/reporting-service';
import { openStore } from '../bot/src/store';

const USAGE = `Usage:
  npm run tenant -- create --tenant <id> --name <organization> --admin <object id> --admin-name <name> [options]
  npm run tenant -- list
  npm run tenant -- rebuild-reports --tenant <id>   recompute the report day documents from the raw reports

Options of create:
  --admin-email <mail>       the admin's mail (optional)
  --root-unit <name>         the root organization unit (default: the organization name)
  --im-licenses <n>          Instant Messaging licenses (default 10)
  --contact-center <n>       Contact Center licenses (default 1)
  --interact-service <n>     Interact service add-ons (default 1)
  --interact-users <n>       Interact user licenses (default 0)
  --privacy-url <url>        privacy policy linked from the widget's form
  --no-im, --no-interact     leave Instant Messaging or Interact switched off`;

const count = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number of 0 or more`);
  return n;
};

class UsageError extends Error {}

/** The command line, or a usage error naming what it could not read. */
function parsed(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'string' },
        'admin-name': { type: 'string' },
        'admin-email': { type: 'string' },
        'root-unit': { type: 'string' },
        'im-licenses': { type: 'string' },
        'contact-center': { type: 'string' },
        'interact-service': { type: 'string' },
        'interact-users': { type: 'string' },
        'privacy-url': { type: 'string' },
        'no-im': { type: 'boolean' },
        'no-interact': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parsed(argv);
  const command = positionals[0];
  if (values.help || (command !== 'create' && command !== 'list' && command !== 'rebuild-reports')) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${formatConfigErrors(config.refusal)}\n`);
    return 1;
  }

  let input: SetupInput | undefined;
  let tenantId = '';
  let admin = { userId: '', displayName: '', email: null as string | null };
  if (command === 'create') {
    const missing = (['tenant', 'name', 'admin', 'admin-name'] as const).filter((k) => !values[k]);
    if (missing.length > 0) throw new UsageError(`create needs ${missing.map((m) => `--${m}`).join(', ')}`);
    tenantId = Id.parse(values.tenant);
    admin = {
      userId: Id.parse(values.admin),
      displayName: values['admin-name']!,
      email: mailOf(values['admin-email']),
    };
    const parsed = SetupInput.safeParse({
      organizationName: values.name,
      rootUnitName: values['root-unit'] ?? values.name,
      imEnabled: !values['no-im'],
      interactEnabled: !values['no-interact'],
      licenses: {
        contactCenter: count(values['contact-center'], 1, 'contact-center'),
        interactService: count(values['interact-service'], 1, 'interact-service'),
        imModality: count(values['im-licenses'], 10, 'im-licenses'),
        interactUser: count(values['interact-users'], 0, 'interact-users'),
      },
      privacyPolicyUrl: values['privacy-url'] ?? null,
    });
    if (!parsed.success)
      throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    input = parsed.data;
  }

  if (command === 'rebuild-reports') {
    if (!values.tenant) throw new UsageError('rebuild-reports needs --tenant');
    tenantId = Id.parse(values.tenant);
  }

  const log = pino({ level: 'warn' });
  const store = await openStore(config.value.store, { onSaveError: (err) => log.error({ err }, 'saving failed') });
  try {
    if (command === 'rebuild-reports') {
      if (!(await store.repos.tenants.find(tenantId, tenantId))) {
        process.stderr.write(`No organization ${tenantId} in this store.\n`);
        return 1;
      }
      const rebuilt = await new ReportingService(store, log).rebuild(tenantId);
      process.stdout.write(
        `Recomputed ${rebuilt.documents} day documents from ${rebuilt.reports} task reports` +
          ` (${rebuilt.removed} no longer backed by a report removed).\n`,
      );
      return 0;
    }
    if (command === 'list') {
      const tenants = await store.repos.tenants.everyTenant();
      if (tenants.length === 0) process.stdout.write('No organization is set up in this store.\n');
      for (const t of tenants)
        process.stdout.write(
          `${t.id}\t${t.name}\tadmins: ${t.adminUserIds.join(', ') || '(Entra Global Administrators)'}\n`,
        );
      return 0;
    }
    const result = await new Onboarding(store, config.value.onboarding).create(
      tenantId,
      { tenantId, ...admin },
      input!,
    );
    if (!result.ok) {
      process.stderr.write(`${tenantId} is already set up as "${result.refusal.tenantName}". Nothing was changed.\n`);
      return 1;
    }
    process.stdout.write(
      `Set up "${result.value.tenantName}" (${result.value.tenantId}) with ${admin.displayName} as its admin.\n` +
        'Next: open the Admin tab in Teams to assign licenses and create services.\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof UsageError ? `${err.message}\n\n${USAGE}` : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
