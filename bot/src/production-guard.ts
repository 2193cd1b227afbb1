import type { Config } from './config';

/**
 * A reason not to start in production. Each one is a setting that is fine on a developer's machine and
 * unsafe on a public endpoint, so it passes the configuration schema and is refused only here.
 */
export type ProductionRefusal = {
  name: 'local-auth' | 'no-bot-credentials' | 'embedded-store' | 'no-tab-sign-on';
  message: string;
};

/** Every refusal that applies (none outside NODE_ENV=production), so one start-up attempt shows them all. */
export function productionRefusals(config: Config): ProductionRefusal[] {
  if (config.env !== 'production') return [];
  const refusals: ProductionRefusal[] = [];
  const { auth, store } = config;

  if (auth.mode === 'local') {
    refusals.push({
      name: 'local-auth',
      message:
        'AUTH_MODE=local accepts bot requests without checking who sent them; set AUTH_MODE=botframework with BOT_ID, BOT_TYPE and its credentials',
    });
  } else {
    // The schema already demands these together; the guard holds even for a Config built some other way.
    const missing = [
      ...(auth.appId ? [] : ['BOT_ID']),
      ...(auth.type !== 'UserAssignedMSI' && !auth.password && !auth.certificate ? ['BOT_PASSWORD'] : []),
      ...(auth.type !== 'MultiTenant' && !auth.tenantId ? ['BOT_TENANT_ID'] : []),
    ];
    if (missing.length > 0) {
      refusals.push({
        name: 'no-bot-credentials',
        message: `BOT_TYPE=${auth.type} needs ${missing.join(' and ')} to authenticate bot requests and replies`,
      });
    }
  }

  if (!config.tabSso.clientId) {
    refusals.push({
      name: 'no-tab-sign-on',
      message:
        'TAB_SSO_CLIENT_ID is not set, so the Teams tab API could not verify who signs in; set it to the client id of the tab sign-on app registration',
    });
  }

  if (store.kind === 'embedded' && store.allowedInProduction !== true) {
    refusals.push({
      name: 'embedded-store',
      message:
        'COSMOS_ENDPOINT is not set, so data would live in an in-process store saved to local disk, not shared between instances; set COSMOS_ENDPOINT, or ALLOW_EMBEDDED_STORE_IN_PRODUCTION=true for a deliberate single-instance run',
    });
  }
  return refusals;
}

export function formatProductionRefusals(refusals: ProductionRefusal[]): string {
  return ['Refusing to start with NODE_ENV=production:', ...refusals.map((r) => `  ${r.name}: ${r.message}`)].join(
    '\n',
  );
}
