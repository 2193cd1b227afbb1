import type { Service } from '../../core/model';
import { type Viewer, supervisedServices } from '../../core/supervision';
import type { Store } from '../../store';

/**
 * The services a viewer supervises, by name: every service for an admin; for anyone else the services
 * naming them and the services of the units (and units below) naming them. Live and Reports share it.
 */
export async function supervisedServicesOf(store: Store, viewer: Viewer): Promise<Service[]> {
  const services = await store.repos.services.byName(viewer.tenantId);
  if (viewer.isAdmin) return services;
  return supervisedServices(viewer, services, await store.repos.units.byName(viewer.tenantId));
}
