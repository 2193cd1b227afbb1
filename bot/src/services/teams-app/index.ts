export {
  type AppInstallRequest,
  TeamsAppInstaller,
  type TeamsAppInstallerDeps,
  CONSENT_MISSING,
  NOT_IN_CATALOG,
  NO_CATALOG_ID,
  installFailureReason,
} from './app-installer';
