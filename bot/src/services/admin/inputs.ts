import { z } from 'zod/v4';
import {
  Calendar,
  DisplayName,
  DomainTemplate,
  Id,
  LicenseKind,
  ServiceMember,
  ServiceSla,
  SystemMessages,
  WebPageUrl,
} from '../../core/model';

/** What the admin pages send. Ids, tenant and type are never taken from a request body. */
export const UnitInput = z
  .object({
    name: DisplayName,
    parentId: Id.nullable(),
    /** Who supervises every service of the unit and of the units below it: replaces the list; absent keeps it. */
    supervisorUserIds: z.array(Id).max(100).optional(),
  })
  .strict();
export type UnitInput = z.infer<typeof UnitInput>;

export const DomainTemplateInput = DomainTemplate.pick({ name: true, unitId: true, origins: true }).strict();
export type DomainTemplateInput = z.infer<typeof DomainTemplateInput>;

export const SystemMessagesInput = SystemMessages.pick({
  name: true,
  unitId: true,
  agentDisplayName: true,
  toAgent: true,
  toCustomer: true,
}).strict();
export type SystemMessagesInput = z.infer<typeof SystemMessagesInput>;

export const CalendarInput = Calendar.pick({
  name: true,
  unitId: true,
  timeZone: true,
  weekly: true,
  specialDays: true,
  holidays: true,
}).strict();
export type CalendarInput = z.infer<typeof CalendarInput>;

/** The organization's privacy policy URL; null clears it (the widget then links to none). */
export const PrivacyPolicyInput = z.object({ privacyPolicyUrl: WebPageUrl.nullable() }).strict();
export type PrivacyPolicyInput = z.infer<typeof PrivacyPolicyInput>;

export const LicenseAssignment = z.object({ kind: LicenseKind, holderId: Id }).strict();

export const NewServiceInput = z.object({ name: DisplayName, unitId: Id }).strict();
export type NewServiceInput = z.infer<typeof NewServiceInput>;

/**
 * The service settings page: name, members, the linked team, the IM modality (channels, workflow) and
 * distribution. Members are who and whether active: where an entry came from (roster or admin) is the
 * server's to know. The team is chosen by id among the teams the app is installed in (null: none).
 */
export const ServicePatch = z
  .object({
    name: DisplayName.optional(),
    members: z
      .array(ServiceMember.pick({ userId: true, active: true }))
      .max(1000)
      .optional(),
    team: z.object({ teamId: Id }).nullable().optional(),
    im: z
      .object({
        enabled: z.boolean().optional(),
        channels: z.object({ interact: z.boolean().optional(), whatsapp: z.boolean().optional() }).strict().optional(),
        workflowId: Id.nullable().optional(),
      })
      .strict()
      .optional(),
    // Spelled out rather than DistributionSettings.partial(): its defaults would fill every field left out.
    distribution: z
      .object({
        maxConcurrentChatsPerUser: z.number().int().min(1).max(20),
        selectableWhenBusy: z.boolean(),
        selectableWhenAway: z.boolean(),
        ronaResetSeconds: z
          .number()
          .int()
          .min(10)
          .max(8 * 3600),
        persistentRona: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
    /** Who supervises the service: replaces the list. */
    supervisorUserIds: z.array(Id).max(100).optional(),
    /** The reports' SLA thresholds, in seconds. */
    sla: ServiceSla.partial().strict().optional(),
  })
  .strict();
export type ServicePatch = z.infer<typeof ServicePatch>;
