/**
 * Cosmos containers, all partitioned on the synthetic `/pk`.
 *
 * In `config`, `routing` and `reports` the partition key always starts with the tenant id: a point
 * operation needs (pk, id), and a query only ever runs inside one pk, so no query can cross tenants.
 *
 * `timers` and `directory` are the exceptions, infrastructure indexes that hold pointers only:
 * `timers` has due times (ring timeouts, RONA resets, max queue time) that one sweeper must find across
 * tenants without scanning; `directory` maps a public contact id (all a browser knows) to its tenant.
 * Acting on either re-reads the tenant's own documents by point read.
 */
export const containerSpecs = [
  {
    id: 'config',
    description: 'tenants, units, users, services, templates, calendars, Teams team installations (pk: tenant)',
  },
  {
    id: 'routing',
    description:
      'live tasks and queue statistics (pk: tenant|svc:<id> or tenant|usr:<id>), agent states (pk: tenant|agents), Teams conversation references and cards (pk: tenant|teams:<user>), workflow instances (pk: tenant|wf:<task>), WhatsApp threads, Teams presence subscriptions (pk: tenant|presence)',
  },
  { id: 'chats', description: 'chats and their ordered event logs (pk: tenant|chat:<id>)' },
  { id: 'reports', description: 'session reports (pk: tenant|svc:<id> or tenant|usr:<id>)' },
  { id: 'timers', description: 'due timers (pk: timers) and the sweeper lease (pk: leases)' },
  { id: 'directory', description: 'contact id → tenant and target (pk: contact:<id>), generated secrets (pk: system)' },
] as const;

export type ContainerId = (typeof containerSpecs)[number]['id'];

/** Every container's partition key path; how keys are composed is in partition-keys.ts. */
export const PARTITION_KEY_PATH = '/pk';
