/** @module Klaviyo Create Event. */
export {
  createKlaviyo,
  type KlaviyoConfig,
  type KlaviyoCredentials,
  klaviyoEventBody,
  klaviyoMetricName,
} from './klaviyo.ts';
