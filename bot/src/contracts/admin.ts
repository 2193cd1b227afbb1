import { z } from 'zod/v4';
import { type GateCode, gateMessages } from '../core/licensing';
import {
  Calendar,
  DistributionSettings,
  DomainTemplate,
  LicenseKind,
  LinkedTeam,
  MemberSource,
  OrgUnit,
  Service,
  ServiceSla,
  SystemMessages,
} from '../core/model';
import { SyncCounts, SyncKind, SyncRun } from '../core/directory';
import { FieldProblem } from './errors';

// The admin pages' views. Configuration items (units, domain templates, system messages, calendars)
// are answered as stored, so their schemas are the model's, exported here with the rest.

const gateCodes = Object.keys(gateMessages) as [GateCode, ...GateCode[]];

/** A licensing gate: allowed, or every reason it is not (each with the sentence to show). */
export const Gate = z.union([
  z.object({ allowed: z.literal(true) }),
  z.object({
    allowed: z.literal(false),
    reasons: z.array(z.object({ code: z.enum(gateCodes), message: z.string() })),
  }),
]);
export type Gate = z.infer<typeof Gate>;

export const UserSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  /** False once the person left the directory: kept with their history, offered nothing. */
  active: z.boolean(),
  unitId: z.string(),
  licenses: z.array(LicenseKind),
  isAdmin: z.boolean(),
  interactTab: Gate,
  /** Whether the bot can message the user in Teams (the app is installed in their personal scope). */
  teamsApp: z.enum(['installed', 'not-installed']),
  /** The last installation of the app for the user through Microsoft Graph; null when none ran. */
  appInstall: z
    .object({
      state: z.enum(['pending', 'installed', 'failed', 'skipped']),
      reason: z.string().nullable(),
      at: z.number(),
    })
    .nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const Users = z.object({ users: z.array(UserSummary) });
export type Users = z.infer<typeof Users>;

export const LicensesView = z.object({
  pools: z.array(
    z.object({
      kind: LicenseKind,
      label: z.string(),
      holder: z.enum(['user', 'service']),
      total: z.number().int(),
      assigned: z.number().int(),
      assignees: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  /** The tenant-level switches Interact and Instant Messaging depend on; set when the organization was set up. */
  tenant: z.object({ interactEnabled: z.boolean(), imEnabled: z.boolean() }),
});
export type LicensesView = z.infer<typeof LicensesView>;

/** The organization's privacy policy (`GET`/`PUT /admin/privacy-policy`), linked from the widget's consent. */
export const PrivacyPolicy = z.object({
  /** Used by every contact without its own (Interact settings); null: the widget links to none. */
  privacyPolicyUrl: z.string().nullable(),
});
export type PrivacyPolicy = z.infer<typeof PrivacyPolicy>;

/** The answer of an assignment: the pools, and for an IM license the installation of the app it started. */
export const LicenseChange = LicensesView.extend({
  appInstall: z
    .object({ state: z.enum(['requested', 'installed', 'skipped']), reason: z.string().optional() })
    .optional(),
});
export type LicenseChange = z.infer<typeof LicenseChange>;

export const ServiceSummary = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  licenses: z.array(LicenseKind),
  members: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      active: z.boolean(),
      imLicensed: z.boolean(),
      /** `team`: the linked team's roster brought them (they leave with it); `manual`: an admin did. */
      source: MemberSource,
    }),
  ),
  /** The team whose roster the members follow; null when they are managed by hand only. */
  team: LinkedTeam.nullable(),
  im: Service.shape.im,
  distribution: DistributionSettings,
  supervisors: z.array(z.object({ userId: z.string(), displayName: z.string() })),
  sla: ServiceSla,
  interactTab: Gate,
  reachable: z.object({ website: Gate, whatsapp: Gate }),
  channelGates: z.object({ interact: Gate, whatsapp: Gate }),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

export const Services = z.object({ services: z.array(ServiceSummary) });
export type Services = z.infer<typeof Services>;

/** The teams the app is installed in, which a service can follow (`GET /admin/teams`). */
export const InstalledTeams = z.object({ teams: z.array(LinkedTeam) });
export type InstalledTeams = z.infer<typeof InstalledTeams>;

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const Units = items(OrgUnit);
export type Units = z.infer<typeof Units>;
export const DomainTemplates = items(DomainTemplate);
export type DomainTemplates = z.infer<typeof DomainTemplates>;
export const SystemMessagesList = items(SystemMessages);
export type SystemMessagesList = z.infer<typeof SystemMessagesList>;
export const Calendars = items(Calendar);
export type Calendars = z.infer<typeof Calendars>;

/** A workflow to pick from; `unsupported`: per IM channel, why a service with that channel cannot select it. */
export const WorkflowSummary = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  unsupported: z.object({ interact: z.array(z.string()), whatsapp: z.array(z.string()) }),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;
export const Workflows = items(WorkflowSummary);
export type Workflows = z.infer<typeof Workflows>;

/** A workflow or a web request as the JSON editor shows it; the server checks it against its own schema. */
export const EditedJson = z.record(z.string(), z.unknown());
export type EditedJson = z.infer<typeof EditedJson>;

/**
 * A workflow checked as the admin types: its errors, by node where one is to blame, and its warnings
 * (activities an IM channel does not run, so services with that channel cannot select it).
 */
export const WorkflowCheck = z.object({
  ok: z.boolean(),
  errors: z.array(z.object({ nodeId: z.string().nullable(), message: z.string() })),
  warnings: z.array(z.string()),
});
export type WorkflowCheck = z.infer<typeof WorkflowCheck>;

/** A saved workflow: every save is a new version. */
export const WorkflowSaved = z.object({ id: z.string(), version: z.number().int(), warnings: z.array(z.string()) });
export type WorkflowSaved = z.infer<typeof WorkflowSaved>;

export const WebRequestSummary = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  method: z.string(),
  url: z.string(),
});
export type WebRequestSummary = z.infer<typeof WebRequestSummary>;
export const WebRequests = items(WebRequestSummary);
export type WebRequests = z.infer<typeof WebRequests>;

export const WebRequestCheck = z.object({ ok: z.boolean(), errors: z.array(FieldProblem) });
export type WebRequestCheck = z.infer<typeof WebRequestCheck>;

/** A saved web request, answered whole with its secrets redacted; the editor reads its id and name. */
export const WebRequestSaved = z.object({ id: z.string(), name: z.string() });
export type WebRequestSaved = z.infer<typeof WebRequestSaved>;

/** What one import from Entra ID did: people created, refreshed, made inactive, entries skipped, pages read. */
export const DirectorySyncResult = SyncCounts.extend({ kind: SyncKind, groupId: z.string().nullable() });
export type DirectorySyncResult = z.infer<typeof DirectorySyncResult>;

/** How a finished import ended; `error` is the sentence the admin read when it failed. */
export const DirectoryRun = SyncRun;
export type DirectoryRun = z.infer<typeof DirectoryRun>;

/** Where the import from Entra ID stands for the admin's organization. */
export const DirectoryStatus = z.object({
  /** Whether this server can read Entra ID (it has the app's credentials); if not, the sentence why. */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  running: z.object({ kind: SyncKind, groupId: z.string().nullable(), startedAt: z.number().int() }).nullable(),
  /** A delta link is stored: the next sync reads only what changed since the last one. */
  incremental: z.boolean(),
  last: DirectoryRun.nullable(),
});
export type DirectoryStatus = z.infer<typeof DirectoryStatus>;

export { Calendar, DomainTemplate, OrgUnit, SystemMessages };
