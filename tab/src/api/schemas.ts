import { z } from 'zod/v4';
import { Calendar, Customer, DistributionSettings, DomainTemplate, ImChannel, InteractSettings, LicenseKind, OrgUnit, Presence, SystemMessages } from '../../../bot/src/core/model';

/**
 * The answers of the tab API, as this page reads them. Stored-document schemas come from the server's
 * model (one source of truth); view shapes are spelled out here. Unknown fields are ignored, so the
 * server can add to an answer without breaking an open page.
 */

export const Me = z.object({ tenantId: z.string(), tenantName: z.string(), userId: z.string(), displayName: z.string(), isAdmin: z.boolean() });
export type Me = z.infer<typeof Me>;

export const DevUsers = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  users: z.array(z.object({ id: z.string(), displayName: z.string(), isAdmin: z.boolean(), isAgent: z.boolean() })),
});
export type DevUsers = z.infer<typeof DevUsers>;
export const DevToken = z.object({ token: z.string() });

export const Gate = z.union([z.object({ allowed: z.literal(true) }), z.object({ allowed: z.literal(false), reasons: z.array(z.object({ code: z.string(), message: z.string() })) })]);
export type Gate = z.infer<typeof Gate>;

export const InteractView = z.object({
  target: z.object({ kind: z.enum(['user', 'service']), id: z.string(), name: z.string(), unitId: z.string() }),
  tab: Gate,
  settings: InteractSettings,
  snippet: z.string(),
  previewUrl: z.string(),
  restrictAccess: z.union([z.object({ available: z.literal(true) }), z.object({ available: z.literal(false), reason: z.string(), message: z.string() })]),
  domainTemplates: z.array(z.object({ id: z.string(), name: z.string(), origins: z.array(z.string()) })),
  systemMessages: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type InteractView = z.infer<typeof InteractView>;

// ---- My Sessions

const Target = z.object({ kind: z.enum(['user', 'service']), id: z.string(), name: z.string() });

export const AgentView = z.object({
  presence: Presence,
  rona: z.object({ until: z.number(), reason: z.enum(['declined', 'no-answer']) }).nullable(),
  notAvailableReason: z.string().nullable(),
  activeChats: z.number(),
});
export type AgentView = z.infer<typeof AgentView>;

export const OfferView = z.object({ taskId: z.string(), offerId: z.string(), customer: Customer, channel: ImChannel, target: Target, firstMessage: z.string().nullable(), offeredAt: z.number(), expiresAt: z.number() });
export type OfferView = z.infer<typeof OfferView>;

export const ActiveSession = z.object({ chatId: z.string(), taskId: z.string(), customer: Customer, channel: ImChannel, target: Target, connectedAt: z.number().nullable(), lastSeq: z.number() });
export type ActiveSession = z.infer<typeof ActiveSession>;

export const Overview = z.object({ agent: AgentView, offers: z.array(OfferView), active: z.array(ActiveSession) });
export type Overview = z.infer<typeof Overview>;

export const SessionDetail = z.object({
  chatId: z.string(),
  taskId: z.string().nullable(),
  state: z.enum(['open', 'ended']),
  live: z.boolean(),
  customer: Customer,
  channel: ImChannel,
  target: Target,
  firstMessage: z.string().nullable(),
  parameters: z.record(z.string(), z.string()),
  createdAt: z.number(),
  connectedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  lastSeq: z.number(),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

export const ChatEventView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), seq: z.number(), at: z.number(), from: z.enum(['customer', 'agent', 'system']), authorName: z.string(), text: z.string(), audience: z.enum(['all', 'agent']).default('all') }),
  z.object({ kind: z.literal('status'), seq: z.number(), at: z.number(), state: z.enum(['waiting', 'connected', 'ended']), agentName: z.string().nullable() }),
]);
export type ChatEventView = z.infer<typeof ChatEventView>;
export const Events = z.object({ events: z.array(ChatEventView) });
export const Typing = z.object({ from: z.enum(['customer', 'agent']), typing: z.boolean() });

export const AcceptResult = z.object({ chatId: z.string() });

export const WrapUp = z.object({ code: z.string().nullable(), tags: z.array(z.string()), note: z.string().nullable(), updatedAt: z.number() });
export type WrapUp = z.infer<typeof WrapUp>;

export const HistoryItem = z.object({
  sessionId: z.string(),
  taskId: z.string(),
  customer: Customer,
  channel: ImChannel,
  target: Target,
  outcome: z.enum(['accepted', 'declined', 'no-answer', 'withdrawn']),
  taskOutcome: z.string().nullable(),
  offeredAt: z.number(),
  respondedAt: z.number(),
  endedAt: z.number().nullable(),
  wrapUp: WrapUp.nullable(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;
export const History = z.object({ sessions: z.array(HistoryItem) });
export const HistoryDetail = HistoryItem.extend({ chatId: z.string().nullable(), events: z.array(ChatEventView) });
export type HistoryDetail = z.infer<typeof HistoryDetail>;

// ---- Admin

export const UserSummary = z.object({ id: z.string(), displayName: z.string(), email: z.string(), unitId: z.string(), licenses: z.array(LicenseKind), isAdmin: z.boolean(), interactTab: Gate });
export type UserSummary = z.infer<typeof UserSummary>;
export const Users = z.object({ users: z.array(UserSummary) });

export const LicensesView = z.object({
  pools: z.array(z.object({ kind: LicenseKind, label: z.string(), holder: z.enum(['user', 'service']), total: z.number(), assigned: z.number(), assignees: z.array(z.object({ id: z.string(), name: z.string() })) })),
});
export type LicensesView = z.infer<typeof LicensesView>;

export const ServiceSummary = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  licenses: z.array(LicenseKind),
  members: z.array(z.object({ userId: z.string(), displayName: z.string(), active: z.boolean(), imLicensed: z.boolean() })),
  im: z.object({ enabled: z.boolean(), channels: z.object({ interact: z.boolean(), whatsapp: z.boolean() }), workflowId: z.string().nullable() }),
  distribution: DistributionSettings,
  interactTab: Gate,
  reachable: z.object({ website: Gate, whatsapp: Gate }),
  channelGates: z.object({ interact: Gate, whatsapp: Gate }),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;
export const Services = z.object({ services: z.array(ServiceSummary) });

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const Units = items(OrgUnit);
export const DomainTemplates = items(DomainTemplate);
export const SystemMessagesList = items(SystemMessages);
export const Calendars = items(Calendar);
export const Workflows = items(z.object({ id: z.string(), name: z.string(), unitId: z.string() }));
export { DomainTemplate, OrgUnit, SystemMessages, Calendar };
export const WebRequests = items(z.object({ id: z.string(), name: z.string(), unitId: z.string(), method: z.string(), url: z.string() }));
