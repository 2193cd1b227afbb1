/**
 * Cosmos containers, all partitioned on the synthetic `/pk`.
 *
 * In `config`, `routing` and `reports` the partition key always starts with the tenant id: a point
 * operation needs (pk, id), and a query only ever runs inside one pk, so no query can cross tenants.
 *
 * `timers` is the exception: it is an infrastructure index of due times (ring timeouts, RONA resets,
 * max queue time) that one sweeper must find across tenants without scanning. A timer holds only a
 * pointer; firing it re-reads the tenant's own documents by point read.
 */
export const containerSpecs = [
  { id: 'config', description: 'tenants, units, users, services, templates, calendars (pk: tenant)' },
  { id: 'routing', description: 'live tasks and queue statistics (pk: tenant|svc:<id> or tenant|usr:<id>), agent states (pk: tenant|agents)' },
  { id: 'chats', description: 'chats and their ordered event logs (pk: tenant|chat:<id>)' },
  { id: 'reports', description: 'session reports (pk: tenant|svc:<id> or tenant|usr:<id>)' },
  { id: 'timers', description: 'due timers (pk: timers) and the sweeper lease (pk: leases)' },
] as const;

export type ContainerId = (typeof containerSpecs)[number]['id'];

export const PARTITION_KEY_PATH = '/pk';

/** The partition of a tenant, or of one scope inside it (one chat, one service queue). */
export function partitionKey(tenantId: string, scope?: string): string {
  return scope === undefined ? tenantId : `${tenantId}|${scope}`;
}
