import { z } from 'zod/v4';
import { DisplayName, Id, unitOwned } from './common';
import { InteractSettings } from './interact-settings';
import { LinkedTeam } from './team';

/** Who put a member in a service: the linked team's roster, or an admin. */
export const MemberSource = z.enum(['team', 'manual']);
export type MemberSource = z.infer<typeof MemberSource>;

export const ServiceMember = z.object({
  userId: Id,
  /** Members can be temporarily inactive in a service without leaving it. */
  active: z.boolean(),
  /**
   * `team` when the linked team's roster brought the member (leaving the team removes them again);
   * `manual` or absent (every entry from before services could follow a team) when an admin did.
   */
  source: MemberSource.optional(),
});
export type ServiceMember = z.infer<typeof ServiceMember>;

export const ImChannel = z.enum(['interact', 'whatsapp']);
export type ImChannel = z.infer<typeof ImChannel>;

export const DistributionSettings = z.object({
  /** Chats a member takes at once unless the user has a personal limit. */
  maxConcurrentChatsPerUser: z.number().int().min(1).max(20).default(3),
  /** Presence Busy / Away still selectable for this service's tasks. */
  selectableWhenBusy: z.boolean().default(false),
  selectableWhenAway: z.boolean().default(false),
  /** How long a user stays in RONA after an unanswered offer (and a declined one, with persistent RONA): 10 s to 8 h. */
  ronaResetSeconds: z
    .number()
    .int()
    .min(10)
    .max(8 * 3600)
    .default(600),
  /**
   * Persistent RONA: declining an offer puts the user in RONA as well, as not answering it does. Off (the
   * default), a decline only passes the task on, and the user is not offered that task again.
   */
  persistentRona: z.boolean().default(false),
});
export type DistributionSettings = z.infer<typeof DistributionSettings>;

/** A team of agents reachable as one contact point. */
/**
 * The service's SLA thresholds for the reports: accepted within `acceptanceSeconds` of queueing counts
 * for the acceptance SLA; a customer hanging up in the queue after `hangupSeconds` counts against the
 * hang-up SLA (shorter hang-ups are not held against the service).
 */
export const ServiceSla = z.object({
  acceptanceSeconds: z.number().int().min(1).max(3600),
  hangupSeconds: z.number().int().min(0).max(3600),
});
export type ServiceSla = z.infer<typeof ServiceSla>;

export const Service = unitOwned('service').extend({
  name: DisplayName,
  members: z.array(ServiceMember).max(1000),
  /**
   * The team whose roster the members follow; null or absent (documents from before) when the
   * membership is managed by hand only.
   */
  team: LinkedTeam.nullable().optional(),
  im: z.object({
    /** The Instant Messaging modality in the service settings. */
    enabled: z.boolean(),
    channels: z.object({ interact: z.boolean(), whatsapp: z.boolean() }),
    workflowId: Id.nullable(),
  }),
  interact: InteractSettings,
  distribution: DistributionSettings,
  /** Users who supervise the service: its live dashboard, its chats and its reports (absent: none). */
  supervisorUserIds: z.array(Id).max(100).optional(),
  /** Absent: the defaults of the reports (core/reporting DEFAULT_SLA). */
  sla: ServiceSla.optional(),
});
export type Service = z.infer<typeof Service>;
