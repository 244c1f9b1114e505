/** @module OneSignal push notifications. */
export {
  createOnesignalPush,
  type OnesignalCredentials,
  type OnesignalPushConfig,
  onesignalNotificationBody,
} from './onesignal-push.ts';
