import type { z } from 'zod/v4';
import type { ActivityContext, ActivityDefinition, ActivityInput, ActivityStep, References } from './activity';
import { accept } from './activities/accept';
import { availabilityBasedRouting } from './activities/availability-based-routing';
import { cancelTask } from './activities/cancel-task';
import { checkOpeningHours } from './activities/check-opening-hours';
import { checkParameter } from './activities/check-parameter';
import { checkTask } from './activities/check-task';
import { collectInformation } from './activities/collect-information';
import { delay } from './activities/delay';
import { disconnect } from './activities/disconnect';
import { distributionPriority } from './activities/distribution-priority';
import { getAvailableUsers } from './activities/get-available-users';
import { getQueuePosition } from './activities/get-queue-position';
import { inputCustomer } from './activities/input-customer';
import { message } from './activities/message';
import { queueTask } from './activities/queue-task';
import { saveToParameter } from './activities/save-to-parameter';
import { transfer } from './activities/transfer';
import { UNSUPPORTED_ACTIVITIES, UNSUPPORTED_EXITS, type UnsupportedKind } from './activities/unsupported';
import { webRequest } from './activities/web-request';

/** Every activity Instant Messaging runs, one file each, registered here and nowhere else. */
export const IM_ACTIVITIES = {
  accept,
  'collect-information': collectInformation,
  delay,
  disconnect,
  'input-customer': inputCustomer,
  message,
  'save-to-parameter': saveToParameter,
  transfer,
  'web-request': webRequest,
  'availability-based-routing': availabilityBasedRouting,
  'check-opening-hours': checkOpeningHours,
  'check-parameter': checkParameter,
  'get-available-users': getAvailableUsers,
  'get-queue-position': getQueuePosition,
  'cancel-task': cancelTask,
  'check-task': checkTask,
  'distribution-priority': distributionPriority,
  'queue-task': queueTask,
} as const;
export type ImActivityKind = keyof typeof IM_ACTIVITIES;
export type ActivityKind = ImActivityKind | UnsupportedKind;

export const IM_ACTIVITY_KINDS = Object.keys(IM_ACTIVITIES) as ImActivityKind[];
export const UNSUPPORTED_ACTIVITY_KINDS = Object.keys(UNSUPPORTED_ACTIVITIES) as UnsupportedKind[];
export const ACTIVITY_KINDS: readonly ActivityKind[] = [...IM_ACTIVITY_KINDS, ...UNSUPPORTED_ACTIVITY_KINDS];

export const isImActivity = (kind: string): kind is ImActivityKind =>
  Object.prototype.hasOwnProperty.call(IM_ACTIVITIES, kind);
export const isKnownActivity = (kind: string): kind is ActivityKind =>
  isImActivity(kind) || Object.prototype.hasOwnProperty.call(UNSUPPORTED_ACTIVITIES, kind);

export const activityLabel = (kind: ActivityKind): string =>
  isImActivity(kind) ? IM_ACTIVITIES[kind].label : UNSUPPORTED_ACTIVITIES[kind].label;

/**
 * An activity seen through its stored settings. Settings are parsed again with the activity's own
 * schema on every use, which keeps the engine generic without losing each activity's types.
 */
export type RegisteredActivity = {
  kind: ActivityKind;
  label: string;
  runnable: boolean;
  exits(settings: unknown): string[];
  waits(settings: unknown): boolean;
  templates(settings: unknown): string[];
  reads(settings: unknown): string[];
  writes(settings: unknown): string[];
  references(settings: unknown): References;
  run(ctx: ActivityContext<unknown>, input: ActivityInput): ActivityStep;
};

function erase<S>(def: ActivityDefinition<S>, kind: ActivityKind): RegisteredActivity {
  const parse = (settings: unknown): S => (def.settings as z.ZodType<S>).parse(settings);
  return {
    kind,
    label: def.label,
    runnable: true,
    exits: (s) => def.exits(parse(s)),
    waits: (s) => def.waits(parse(s)),
    templates: (s) => def.templates(parse(s)),
    reads: (s) => def.reads(parse(s)),
    writes: (s) => def.writes(parse(s)),
    references: (s) => def.references(parse(s)),
    run: (ctx, input) => def.run({ ...ctx, settings: parse(ctx.settings) }, input),
  };
}

const notRunnable = (kind: UnsupportedKind): RegisteredActivity => ({
  kind,
  label: UNSUPPORTED_ACTIVITIES[kind].label,
  runnable: false,
  exits: () => UNSUPPORTED_EXITS,
  waits: () => false,
  templates: () => [],
  reads: () => [],
  writes: () => [],
  references: () => ({}),
  run: () => ({ type: 'fail', reason: `${UNSUPPORTED_ACTIVITIES[kind].label} is not supported for Instant Messaging` }),
});

const registry = new Map<string, RegisteredActivity>([
  ...IM_ACTIVITY_KINDS.map((k) => [k, erase(IM_ACTIVITIES[k] as ActivityDefinition<unknown>, k)] as const),
  ...UNSUPPORTED_ACTIVITY_KINDS.map((k) => [k, notRunnable(k)] as const),
]);

export function activityOf(kind: string): RegisteredActivity | undefined {
  return registry.get(kind);
}
