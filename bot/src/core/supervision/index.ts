export * from './scope';
export * from './agent-status';
