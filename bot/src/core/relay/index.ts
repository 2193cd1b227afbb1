export * from './session-choice';
export * from './split-text';
export * from './relay-cursor';
export * from './delivery-policy';
export * from './card-state';
