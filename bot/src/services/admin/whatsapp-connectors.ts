import { type IdSource, systemIds } from '../ids';
import { serviceImChannel, serviceReachableByWhatsApp } from '../../core/licensing';
import type { Tenant, WhatsAppConnector } from '../../core/model';
import type { Store } from '../../store';
import { type Result, ok, refuse } from '../../core/result';

/** What an admin saves; without an auth token the stored one is kept. */
export type WhatsAppConnectorInput = Pick<
  WhatsAppConnector,
  'accountSid' | 'region' | 'senders' | 'templateContentSid'
> & { authToken?: string | undefined };

export type ConnectorProblem = { path: string; message: string };

export type ConnectorRefusal =
  { code: 'not-found' } | { code: 'auth-token-required' } | { code: 'invalid'; problems: ConnectorProblem[] };
export type SaveConnectorResult = Result<{ connector: WhatsAppConnector; created: boolean }, ConnectorRefusal>;

/** A tenant's WhatsApp connections (Twilio accounts and their senders), as admins list and save them. */
export class WhatsAppConnectorService {
  constructor(
    private readonly store: Pick<Store, 'repos' | 'directory'>,
    private readonly ids: IdSource = systemIds,
  ) {}

  list(tenantId: string): Promise<WhatsAppConnector[]> {
    return this.store.repos.whatsappConnectors.all(tenantId);
  }

  /**
   * Creates a connection (no id) or replaces one, and registers it so its webhook finds the tenant.
   * Each number must feed a service that WhatsApp can reach, by the licensing rules.
   */
  async save(tenant: Tenant, id: string | undefined, input: WhatsAppConnectorInput): Promise<SaveConnectorResult> {
    const existing = id === undefined ? undefined : await this.store.repos.whatsappConnectors.find(tenant.id, id);
    if (id !== undefined && !existing) return refuse({ code: 'not-found' });
    const authToken = input.authToken ?? existing?.authToken;
    if (!authToken) return refuse({ code: 'auth-token-required' });
    const problems: ConnectorProblem[] = [];
    for (const [i, sender] of input.senders.entries()) {
      const service = await this.store.repos.services.find(tenant.id, sender.serviceId);
      if (!service) {
        problems.push({ path: `senders.${i}.serviceId`, message: 'No such service.' });
        continue;
      }
      const gates = [serviceImChannel(tenant, service, 'whatsapp'), serviceReachableByWhatsApp(tenant, service)];
      const reasons = gates.flatMap((g) => (g.allowed ? [] : g.reasons.map((r) => r.message)));
      if (reasons.length > 0)
        problems.push({
          path: `senders.${i}.serviceId`,
          message: `${service.name}: ${[...new Set(reasons)].join(' ')}`,
        });
      else if (!service.im.channels.whatsapp)
        problems.push({
          path: `senders.${i}.serviceId`,
          message: `${service.name}: the WhatsApp channel is switched off in its modality settings.`,
        });
    }
    if (new Set(input.senders.map((s) => s.number)).size !== input.senders.length)
      problems.push({ path: 'senders', message: 'A number is listed twice.' });
    if (problems.length > 0) return refuse({ code: 'invalid', problems });
    const connector = await this.store.repos.whatsappConnectors.upsert({
      id: existing?.id ?? `wa-${this.ids.uuid()}`,
      tenantId: tenant.id,
      type: 'whatsappConnector',
      accountSid: input.accountSid,
      authToken,
      region: input.region,
      senders: input.senders,
      templateContentSid: input.templateContentSid,
    });
    await this.store.directory.registerConnector(connector.id, tenant.id);
    return ok({ connector, created: !existing });
  }
}
