export * from './entra-users';
export * from './sync-state';
