/**
 * The contract between the server and its two clients: every answer the tab API and the widget API
 * give, and what their event streams carry, as zod schemas. The server's routes are typed by them, the
 * tab parses with them, the widget takes their types (`import type`: its bundle carries no zod).
 * Like the core they are pure: zod and the core's model only.
 */
export * from './admin';
export * from './chat-events';
export * from './errors';
export * from './interact';
export * from './interact-settings';
export * from './me';
export * from './pickup';
export * from './sessions';
export * from './setup';
export * from './reports';
export * from './supervision';
