/**
 * Cosmos containers. Every container is partitioned on the synthetic `/pk`, which always starts with
 * the tenant id: a point operation needs (pk, id), and a query is only ever run inside one pk, so no
 * query can cross tenants. Configuration is small per tenant and shares one partition per tenant.
 */
export const containerSpecs = [{ id: 'config', description: 'tenants, units, users, services, templates, calendars' }] as const;

export type ContainerId = (typeof containerSpecs)[number]['id'];

export const PARTITION_KEY_PATH = '/pk';

/** The partition of a tenant, or of one scope inside it (one chat, one service queue). */
export function partitionKey(tenantId: string, scope?: string): string {
  return scope === undefined ? tenantId : `${tenantId}|${scope}`;
}
