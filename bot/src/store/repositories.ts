import { Calendar, DomainTemplate, OrgUnit, Service, SystemMessages, Tenant, User } from '../core/model';
import type { CosmosStore } from './cosmos';
import { Repository } from './repository';
import type { StoreStats } from './stats';

/** One repository per document type; the composition root builds them once. */
export function createRepositories(store: Pick<CosmosStore, 'containers'>, stats: StoreStats) {
  const config = store.containers.config;
  return {
    tenants: new Repository<Tenant>(config, { type: 'tenant', schema: Tenant }, stats),
    units: new Repository<OrgUnit>(config, { type: 'unit', schema: OrgUnit }, stats),
    users: new Repository<User>(config, { type: 'user', schema: User }, stats),
    services: new Repository<Service>(config, { type: 'service', schema: Service }, stats),
    domainTemplates: new Repository<DomainTemplate>(config, { type: 'domainTemplate', schema: DomainTemplate }, stats),
    systemMessages: new Repository<SystemMessages>(config, { type: 'systemMessages', schema: SystemMessages }, stats),
    calendars: new Repository<Calendar>(config, { type: 'calendar', schema: Calendar }, stats),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
