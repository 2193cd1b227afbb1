import { z } from 'zod/v4';
import { Id, WebPageUrl } from './common';
import { type Result, ok, refuse } from '../result';

/** The Interact tab of a user or a service, element by element as the settings page shows it. */
export const InteractSettings = z.object({
  /** Interact on or off for this target; licenses stay assigned either way. */
  active: z.boolean(),
  /** Reachable by call (audio/video) through the widget. */
  audioVideo: z.boolean(),
  /** Reachable by chat through the widget. */
  instantMessaging: z.boolean(),
  /** Template of Direct System Messages (Admin > Configuration > Instant Messaging), or none. */
  directSystemMessagesId: Id.nullable(),
  /** Only origins listed by the selected domain templates may embed the widget. */
  restrictAccess: z.boolean(),
  domainTemplateIds: z.array(Id).max(50),
  /** Public identifier carried by the snippet. Unique per user and per service. */
  contactId: Id,
  /** Secret-ish key carried by the snippet; regenerating it invalidates old snippets. */
  widgetKey: z.string().min(16).max(128),
  /** The privacy policy the widget's consent links to for this target; null: the organization's. */
  privacyPolicyUrl: WebPageUrl.nullable().default(null),
});
export type InteractSettings = z.infer<typeof InteractSettings>;

/** Restrict Access is offered only when at least one domain template exists in the unit. */
export type RestrictAccessAvailability =
  { available: true } | { available: false; reason: 'no-domain-templates'; message: string };

export function restrictAccessAvailability(templatesInUnit: number): RestrictAccessAvailability {
  return templatesInUnit > 0
    ? { available: true }
    : {
        available: false,
        reason: 'no-domain-templates',
        message: 'Configure at least one Interact domain template (CORS) in this organization unit to restrict access.',
      };
}

/** What the settings page may change; contact id and widget key change only through their own actions. */
export const InteractSettingsPatch = InteractSettings.pick({
  active: true,
  audioVideo: true,
  instantMessaging: true,
  directSystemMessagesId: true,
  restrictAccess: true,
  domainTemplateIds: true,
})
  // Not picked: a picked default would fill in null for every patch that leaves the field out.
  .extend({ privacyPolicyUrl: WebPageUrl.nullable() })
  .partial()
  .strict();
export type InteractSettingsPatch = z.infer<typeof InteractSettingsPatch>;

export type SettingsProblem = { field: keyof InteractSettingsPatch; code: string; message: string };

/**
 * Applies a change to Interact settings under the rules of the settings page: domain templates and
 * direct system messages come from the same organization unit, and Restrict Access needs at least one
 * template to exist and to be selected (it would otherwise lock every website out).
 */
export function applyInteractPatch(
  current: InteractSettings,
  patch: InteractSettingsPatch,
  unit: { templateIds: readonly string[]; systemMessagesIds: readonly string[] },
): Result<InteractSettings, SettingsProblem[]> {
  const next: InteractSettings = { ...current, ...patch };
  const problems: SettingsProblem[] = [];
  if (next.directSystemMessagesId !== null && !unit.systemMessagesIds.includes(next.directSystemMessagesId)) {
    problems.push({
      field: 'directSystemMessagesId',
      code: 'system-messages-not-in-unit',
      message: 'Choose direct system messages of this organization unit.',
    });
  }
  const outside = next.domainTemplateIds.filter((id) => !unit.templateIds.includes(id));
  if (outside.length > 0)
    problems.push({
      field: 'domainTemplateIds',
      code: 'template-not-in-unit',
      message: 'Choose domain templates of this organization unit.',
    });
  if (new Set(next.domainTemplateIds).size !== next.domainTemplateIds.length)
    problems.push({
      field: 'domainTemplateIds',
      code: 'duplicate-template',
      message: 'A domain template is selected twice.',
    });
  if (next.restrictAccess) {
    const availability = restrictAccessAvailability(unit.templateIds.length);
    if (!availability.available)
      problems.push({ field: 'restrictAccess', code: availability.reason, message: availability.message });
    else if (next.domainTemplateIds.length === 0)
      problems.push({
        field: 'domainTemplateIds',
        code: 'select-a-template',
        message: 'Select at least one domain template to restrict access to.',
      });
  }
  return problems.length > 0 ? refuse(problems) : ok(next);
}
