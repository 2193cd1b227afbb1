export {
  type DeliveryLaneOptions,
  type DeliveryTiming,
  type LaneSleep,
  type LaneWindows,
  type SendResult,
  type Turn,
  type WaitReason,
  DeliveryLane,
  SendFailure,
  abortableSleep,
  defaultLaneOptions,
  describeError,
  systemTiming,
} from './delivery-lane';
export { InstanceRegistry, type InstanceRegistryOptions, type WindowSource } from './instance-registry';
export type { AttemptFailure } from '../../core/relay';
