import { z } from 'zod/v4';
import { Id, tenantScoped } from './common';

/** A team's name as Teams shows it (Teams allows up to 256 characters). */
export const TeamName = z.string().trim().min(1).max(256);

/** The Microsoft Team a service follows: its roster is the service's membership. */
export const LinkedTeam = z.object({
  /** The Teams team id (`19:…@thread.tacv2`), the conversation id of the Bot Connector's team calls. */
  teamId: Id,
  /** As last announced by Teams (installation, rename); shown to admins. */
  name: TeamName,
});
export type LinkedTeam = z.infer<typeof LinkedTeam>;

/**
 * A team in which the app is (or was) installed, recorded from the bot's installation events. The
 * document id is the team id. An uninstalled team stays recorded, so a later installation finds it.
 */
export const TeamInstallation = tenantScoped('teamInstallation').extend({
  teamId: Id,
  name: TeamName,
  /** The team's Microsoft 365 group id, when Teams sends it (Graph calls name the team by it). */
  aadGroupId: Id.nullable(),
  /** Where the Bot Connector answers for this team (its roster). */
  serviceUrl: z.url({ protocol: /^https?$/ }).max(500),
  installed: z.boolean(),
  installedAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type TeamInstallation = z.infer<typeof TeamInstallation>;
