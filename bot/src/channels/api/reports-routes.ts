import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import { Id, TimeZone } from '../../core/model';
import type { Result } from '../../core/result';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { ReportSummary } from '../../contracts';
import type {
  ReportQuery,
  ReportRefusal,
  ReportViewer,
  ReportingService,
} from '../../services/reporting/reporting-service';
import { encodeCursor } from '../../services/reporting/task-feed';
import type { Principal } from './auth';

export const FEED_DEFAULT_TOP = 500;
export const FEED_MAX_TOP = 5000;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const QueryParams = z.object({ from: Day, to: Day, serviceId: Id.optional() });
/** The feed's paging in the OData style Power BI and Excel follow: `$top` rows, `$skiptoken` to go on. */
const FeedParams = QueryParams.extend({
  $top: z.coerce.number().int().min(1).max(FEED_MAX_TOP).default(FEED_DEFAULT_TOP),
  $skiptoken: z.string().min(1).max(2000).optional(),
});
const TimeZoneInput = z.object({ timeZone: TimeZone }).strict();

const viewerOf = (p: Principal): ReportViewer => ({ tenantId: p.tenantId, userId: p.userId, isAdmin: p.isAdmin });

function unwrap<T>(result: Result<T, ReportRefusal>): T {
  if (result.ok) return result.value;
  const { code, message } = result.refusal;
  throw new HttpError(code === 'forbidden' ? 403 : code === 'not-found' ? 404 : 400, code, message);
}

/**
 * Historic reporting for admins (the whole tenant) and supervisors (their services): the KPIs of a
 * period, the task reports behind them as CSV, and, for admins, the time zone the days follow and a
 * rebuild from the raw reports. The tenant is the caller's own, from the sign-in.
 */
export function registerReportsApi(
  server: Server,
  deps: {
    prefix: string;
    authenticate: (req: Request) => Promise<Principal>;
    reporting: ReportingService;
    /** The server's public address, for the feed's absolute next-page links. */
    baseUrl: string;
  },
): void {
  const { authenticate, reporting } = deps;
  const base = `${deps.prefix}/reports`;
  const query = (req: Request): ReportQuery => QueryParams.parse(req.query ?? {});
  const admin = async (req: Request): Promise<Principal> => {
    const p = await authenticate(req);
    if (!p.isAdmin) throw new HttpError(403, 'admin-only', 'Only tenant admins can do this.');
    return p;
  };

  server.get(
    `${base}/summary`,
    handle(async (req): Promise<ReportSummary> => {
      const p = await authenticate(req);
      return unwrap(await reporting.summary(viewerOf(p), query(req)));
    }),
  );

  server.get(
    `${base}/tasks.csv`,
    handle(async (req, res) => {
      const p = await authenticate(req);
      const q = query(req);
      const csv = unwrap(await reporting.tasksCsv(viewerOf(p), q));
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="tasks-${q.from}-to-${q.to}.csv"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      // A byte order mark, so Excel reads the file as UTF-8.
      res.end(`\uFEFF${csv}`);
      return undefined;
    }),
  );

  /**
   * The task reports of a period as pages of JSON rows for Power BI / Excel (a Web source with the
   * same bearer token as the tab): `{ value: [...], "@odata.nextLink": "..." }`, the last page without
   * a link. The rows are the CSV's columns.
   */
  server.get(
    `${base}/feed/tasks`,
    handle(async (req) => {
      const p = await authenticate(req);
      const q = FeedParams.parse(req.query ?? {});
      const page = unwrap(
        await reporting.taskFeed(viewerOf(p), {
          from: q.from,
          to: q.to,
          serviceId: q.serviceId,
          top: q.$top,
          token: q.$skiptoken,
        }),
      );
      const link = (token: string) => {
        const params = new URLSearchParams({ from: q.from, to: q.to, $top: String(q.$top), $skiptoken: token });
        if (q.serviceId) params.set('serviceId', q.serviceId);
        return `${deps.baseUrl}${base}/feed/tasks?${params.toString()}`;
      };
      return {
        '@odata.context': `${deps.baseUrl}${base}/feed/$metadata#tasks`,
        value: page.rows,
        ...(page.next ? { '@odata.nextLink': link(encodeCursor(page.next)) } : {}),
      };
    }),
  );

  server.get(
    `${base}/time-zone`,
    handle(async (req) => ({ timeZone: await reporting.timeZoneOf((await authenticate(req)).tenantId) })),
  );

  // Days follow the new zone from now on; the day documents are recomputed in it at once.
  server.put(
    `${base}/time-zone`,
    handle(async (req) => {
      const p = await admin(req);
      const { timeZone } = TimeZoneInput.parse(req.body);
      const rebuilt = await reporting.setTimeZone(p.tenantId, timeZone);
      return { timeZone, rebuilt };
    }),
  );

  server.post(
    `${base}/rebuild`,
    handle(async (req) => reporting.rebuild((await admin(req)).tenantId)),
  );
}
