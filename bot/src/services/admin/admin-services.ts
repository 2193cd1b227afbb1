import type { Store } from '../../store';
import { type IdSource, systemIds } from '../ids';
import type { TeamLinks } from '../team-links';
import type { TeamsAppInstaller } from '../teams-app';
import { LicenseAdmin } from './license-admin';
import { ServiceAdmin } from './service-admin';
import { TenantSettingsAdmin } from './tenant-settings-admin';
import { UnitAdmin } from './unit-admin';
import { calendarAdmin, domainTemplateAdmin, systemMessagesAdmin } from './unit-items-admin';
import { WebRequestAdmin } from './web-request-admin';
import { WorkflowAdmin } from './workflow-admin';
import type { WorkflowAdminPort } from './workflow-port';

/**
 * The admin pages over one tenant's configuration, one service per aggregate. Every call is given the
 * tenant from the sign-in. `teams`: the teams the app is installed in, and their rosters.
 */
export function createAdminServices(
  store: Store,
  workflows: WorkflowAdminPort,
  ids: IdSource = systemIds,
  teams: Pick<TeamLinks, 'rosterOf' | 'installedTeams' | 'membersJoined'>,
  installer?: Pick<TeamsAppInstaller, 'request'>,
) {
  return {
    licenses: new LicenseAdmin(store, installer),
    tenantSettings: new TenantSettingsAdmin(store),
    units: new UnitAdmin(store, ids),
    domainTemplates: domainTemplateAdmin(store, ids),
    systemMessages: systemMessagesAdmin(store, ids),
    calendars: calendarAdmin(store, ids),
    services: new ServiceAdmin(store, workflows, ids, teams),
    teams: { installed: (tenantId: string) => teams.installedTeams(tenantId) },
    workflows: new WorkflowAdmin(workflows),
    webRequests: new WebRequestAdmin(store, workflows.webRequests),
  };
}
export type AdminServices = ReturnType<typeof createAdminServices>;
