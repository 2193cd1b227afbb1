import type { Logger } from 'pino';
import { receivesImTasks } from '../../core/licensing';
import type { Service, Tenant, User } from '../../core/model';
import { type Store, queueScope } from '../../store';
import type { Distributor } from './distributor';

/**
 * Distribution re-runs when configuration changes who can take work, instead of polling every waiting
 * queue: a service (members, their activity, its distribution settings), a user (active, Instant
 * Messaging settings) or the tenant (Instant Messaging switched on, modality licenses handed out).
 * Changes that can only take agents away (a license withdrawn) cause no pass: nothing new is offered.
 * Only this process's own writes kick: the instance that wrote a change runs the pass for it.
 * Returns the function that stops listening.
 */
export function kickOnConfigChange(store: Store, distributor: Distributor, log: Logger): () => void {
  const failed = (what: string) => (err: unknown) => log.error({ err }, `distribution after ${what} change failed`);

  const offService = store.changes.on<Service>('service', ({ doc, origin }) => {
    if (origin === 'remote') return;
    void distributor.kick(doc.tenantId, queueScope({ kind: 'service', serviceId: doc.id })).catch(failed('service'));
  });

  const offUser = store.changes.on<User>('user', ({ doc, before, origin }) => {
    if (origin === 'remote') return;
    const couldTake = doc.active && doc.im.enabled;
    const changed = !before || before.active !== doc.active || JSON.stringify(before.im) !== JSON.stringify(doc.im);
    if (!couldTake || !changed) return;
    void distributor
      .track(async () => {
        const tenant = await store.repos.tenants.find(doc.tenantId, doc.tenantId);
        if (tenant && receivesImTasks(tenant, doc)) await distributor.kickForAgent(doc.tenantId, doc.id);
      })
      .catch(failed('user'));
  });

  const offTenant = store.changes.on<Tenant>('tenant', ({ doc, before, origin }) => {
    if (origin === 'remote' || !doc.imEnabled) return;
    const everyone = !before || !before.imEnabled;
    const held = new Set(before?.licenses.imModality.assignees ?? []);
    const holders = doc.licenses.imModality.assignees.filter((id) => everyone || !held.has(id));
    void distributor
      .track(async () => {
        if (everyone) {
          const services = await store.repos.services.all(doc.tenantId);
          await Promise.all(
            services.map((s) => distributor.kick(doc.tenantId, queueScope({ kind: 'service', serviceId: s.id }))),
          );
        }
        // With every service kicked, a holder's own queue is what is left; else their services too.
        await Promise.all(
          holders.map((userId) =>
            everyone
              ? distributor.kick(doc.tenantId, queueScope({ kind: 'user', userId }))
              : distributor.kickForAgent(doc.tenantId, userId),
          ),
        );
      })
      .catch(failed('tenant'));
  });

  return () => {
    offService();
    offUser();
    offTenant();
  };
}
