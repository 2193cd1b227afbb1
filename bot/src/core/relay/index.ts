export * from './session-choice';
export * from './split-text';
export * from './relay-cursor';
export * from './rate-windows';
export * from './retry-rule';
export * from './backoff';
export * from './card-state';
export * from './budget-share';
