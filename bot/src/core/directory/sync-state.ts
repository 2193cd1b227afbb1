import { z } from 'zod/v4';
import { tenantScoped } from '../model';

/** One document per tenant: the delta link the next sync starts from, the run in progress, the last outcome. */
export const DIRECTORY_SYNC_ID = 'directory-sync';

/** A claimed run older than this is taken to have died with its process: another sync may start. */
export const SYNC_STALE_AFTER_MS = 30 * 60_000;

const Millis = z.number().int();
const Count = z.number().int().min(0);

/** `full`: the first delta round (everyone); `delta`: the changes since the stored link; `group`: one group's members. */
export const SyncKind = z.enum(['full', 'delta', 'group']);
export type SyncKind = z.infer<typeof SyncKind>;

export const SyncCounts = z.object({
  created: Count,
  updated: Count,
  deactivated: Count,
  /** Entries that name nobody we can hold, or disabled people we never imported. */
  skipped: Count,
  pages: Count,
});
export type SyncCounts = z.infer<typeof SyncCounts>;

export const SyncRun = SyncCounts.extend({
  kind: SyncKind,
  groupId: z.string().max(128).nullable(),
  startedAt: Millis,
  finishedAt: Millis,
  outcome: z.enum(['succeeded', 'failed']),
  /** What the admin reads when it failed. */
  error: z.string().max(1000).nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;

export const DirectorySync = tenantScoped('directorySync').extend({
  id: z.literal(DIRECTORY_SYNC_ID),
  /** Graph's `@odata.deltaLink` of the last complete round of /users/delta; null before the first. */
  deltaLink: z.string().max(8000).nullable(),
  running: z
    .object({
      runId: z.string().min(1).max(100),
      kind: SyncKind,
      groupId: z.string().max(128).nullable(),
      startedAt: Millis,
    })
    .nullable(),
  last: SyncRun.nullable(),
});
export type DirectorySync = z.infer<typeof DirectorySync>;

export const noCounts = (): SyncCounts => ({ created: 0, updated: 0, deactivated: 0, skipped: 0, pages: 0 });

/** Whether a sync of the tenant is under way (and not abandoned) at `now`. */
export const syncRunning = (state: Pick<DirectorySync, 'running'> | undefined, now: number): boolean =>
  state !== undefined && state.running !== null && now - state.running.startedAt < SYNC_STALE_AFTER_MS;
