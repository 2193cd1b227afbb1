export * from './queue-order';
export * from './selectability';
export * from './offer-plan';
export * from './task-transitions';
export * from './agent-transitions';
export * from './session-reports';
export * from './teams-presence';
export * from './supervision';
