export { type Agent, type AgentMessageOutcome, AgentRelay, type AgentRelayDeps, type EndOutcome } from './agent-relay';
export type { AgentIdentity, ConversationAddress } from './agent-directory';
export type { ActiveSession } from './agent-sessions';
export type { Delivery } from './agent-outbox';
export type { CardAnswer } from './session-cards';
export * from './views';
