export { registerTeamsBot, type TeamsBot, type TeamsBotDeps } from './register';
export { type BotAuth, createBotAuth } from './bot-auth';
