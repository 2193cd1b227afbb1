import { z } from 'zod/v4';
import { OUTCOME_GROUP_NAMES, USER_SESSION_OUTCOMES } from '../core/reporting';

const Ratio = z.number().min(0).max(1).nullable();
const Ms = z.number().min(0).nullable();
const Count = z.number().int().min(0);

export const Kpis = z.object({
  tasks: Count,
  outcomes: z.record(z.enum(OUTCOME_GROUP_NAMES), Count),
  reachability: Ratio,
  acceptanceSla: Ratio,
  hangupSla: Ratio,
  queueTimeMsAvg: Ms,
  queueTimeMsMax: Ms,
  connectedTimeMsAvg: Ms,
});
export type Kpis = z.infer<typeof Kpis>;

export const KpisByChannel = z.object({ all: Kpis, interact: Kpis, whatsapp: Kpis });
export type KpisByChannel = z.infer<typeof KpisByChannel>;

const SessionCounts = z.record(z.enum(USER_SESSION_OUTCOMES), Count);

/** `GET /reports/summary`: the KPIs of a period for the queues the caller may see. */
export const ReportSummary = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  services: z.array(z.object({ id: z.string(), name: z.string() })),
  includesDirect: z.boolean(),
  totals: KpisByChannel,
  days: z.array(KpisByChannel.extend({ day: z.string() })),
  hours: z.array(KpisByChannel.extend({ hour: z.string() })),
  byService: z.array(z.object({ serviceId: z.string(), name: z.string(), kpis: KpisByChannel })),
  direct: KpisByChannel.nullable(),
  agents: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      handled: Count,
      connectedTimeMsAvg: Ms,
      sessions: SessionCounts,
    }),
  ),
  sessions: z.object({ interact: SessionCounts, whatsapp: SessionCounts }),
  documentsRead: Count,
});
export type ReportSummary = z.infer<typeof ReportSummary>;
