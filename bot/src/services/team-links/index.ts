export {
  BotConnectorRoster,
  type BotConnectorRosterOptions,
  type RosterFailure,
  type RosterMember,
  type TeamAddress,
  type TeamRosterSource,
} from './bot-connector-roster';
export {
  MAX_ROSTER,
  type TeamAccount,
  type TeamEventOutcome,
  type TeamInstalled,
  type TeamLinkRefusal,
  TeamLinks,
  type TeamLinksDeps,
} from './team-links';
