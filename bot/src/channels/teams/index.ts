export { registerTeamsBot, type TeamsBot, type TeamsBotDeps } from './register';
