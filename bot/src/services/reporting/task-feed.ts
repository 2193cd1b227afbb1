import { z } from 'zod/v4';
import type { TaskReport, TaskTarget } from '../../core/model';
import { groupOf, localBucket, targetKey } from '../../core/reporting';
import type { Store } from '../../store';

/** One task report as the CSV export and the JSON feed give it: flat, named columns. */
export type TaskRow = {
  taskId: string;
  queue: string;
  channel: string;
  outcomeGroup: string;
  outcome: string;
  customer: string;
  arrivedAtUtc: string;
  localDay: string;
  queueSeconds: number | null;
  connectedSeconds: number | null;
  acceptedBy: string | null;
  offers: number;
  supervised: boolean;
};

export const TASK_COLUMNS: readonly (keyof TaskRow)[] = [
  'taskId',
  'queue',
  'channel',
  'outcomeGroup',
  'outcome',
  'customer',
  'arrivedAtUtc',
  'localDay',
  'queueSeconds',
  'connectedSeconds',
  'acceptedBy',
  'offers',
  'supervised',
];

export function taskRow(r: TaskReport, queue: string, day: string): TaskRow {
  return {
    taskId: r.id,
    queue,
    channel: r.channel,
    outcomeGroup: groupOf(r.outcome),
    outcome: r.outcome,
    customer: r.customer.displayName,
    arrivedAtUtc: new Date(r.createdAt).toISOString(),
    localDay: day,
    queueSeconds: r.timeInQueueMs === null ? null : r.timeInQueueMs / 1000,
    connectedSeconds: r.timeInConversationMs === null ? null : r.timeInConversationMs / 1000,
    acceptedBy: r.acceptedByUserId,
    offers: r.offers,
    supervised: (r.supervision?.length ?? 0) > 0,
  };
}

/**
 * Where a page of the feed goes on: the queue, and the position inside it. `id` null: after instant
 * `t`; else at instant `t` after that id (ties by id), then after `t`.
 */
const Cursor = z
  .object({ q: z.string().min(1).max(300), t: z.number().int(), id: z.string().max(255).nullable() })
  .strict();
type Cursor = z.infer<typeof Cursor>;

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** The cursor of a page link, or undefined when the token is not one this feed made. */
export function decodeCursor(token: string): Cursor | undefined {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export type FeedQueue = { target: TaskTarget; name: string };
export type FeedPage = { rows: TaskRow[]; next: Cursor | null; queries: number };

/**
 * One page of task reports for the feed, queue after queue (in the order given) and in (createdAt, id)
 * order inside each, so a page boundary never repeats or skips a row however many reports share a
 * millisecond. Reports are read in the UTC window around the local days; only those whose arrival
 * falls on a day of the range (in the tenant's zone) become rows.
 */
export async function feedPage(
  store: Store,
  tenantId: string,
  input: {
    queues: readonly FeedQueue[];
    timeZone: string;
    fromDay: string;
    toDay: string;
    window: { from: number; to: number };
    top: number;
    cursor: Cursor | undefined;
  },
): Promise<FeedPage | 'bad-cursor'> {
  const { queues, timeZone, fromDay, toDay, window, top } = input;
  const reports = store.repos.taskReports;
  let index = 0;
  const start = { t: window.from - 1, id: null };
  let position: { t: number; id: string | null } = start;
  if (input.cursor) {
    index = queues.findIndex((q) => targetKey(q.target) === input.cursor!.q);
    if (index < 0) return 'bad-cursor';
    position = { t: input.cursor.t, id: input.cursor.id };
  }
  const rows: TaskRow[] = [];
  let queries = 0;
  const take = (queue: FeedQueue, list: readonly TaskReport[]) => {
    for (const r of list) {
      const { day } = localBucket(r.createdAt, timeZone);
      if (day >= fromDay && day <= toDay) rows.push(taskRow(r, queue.name, day));
    }
  };
  while (index < queues.length) {
    const queue = queues[index]!;
    const room = top - rows.length;
    if (room <= 0) return { rows, next: { q: targetKey(queue.target), ...position }, queries };
    if (position.id !== null) {
      // The rest of a tie, by id.
      const tied = await reports.tiedAt(tenantId, queue.target, position.t, position.id, room);
      queries++;
      take(queue, tied);
      if (tied.length === room) {
        position = { t: position.t, id: tied[tied.length - 1]!.id };
        continue;
      }
    }
    const later = await reports.later(tenantId, queue.target, position.t, window.to, top - rows.length);
    queries++;
    if (later.length < top - rows.length) {
      take(queue, later);
      index++;
      position = start;
      continue;
    }
    // The page ends inside this queue: keep back the last instant, which may go on beyond what was read.
    const last = later[later.length - 1]!.createdAt;
    take(
      queue,
      later.filter((r) => r.createdAt < last),
    );
    position = { t: last, id: '' };
  }
  return { rows, next: null, queries };
}
