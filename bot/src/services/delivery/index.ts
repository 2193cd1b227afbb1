export {
  type DeliveryLaneOptions,
  type DeliveryTiming,
  type LaneSleep,
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
export type { AttemptFailure } from '../../core/relay';
