/** @module MessageBird SMS: adapter, status reports and the JWT signature. */

export { type JwtRejection, verifyMessagebirdJwt } from './messagebird-signature.ts';
export {
  createMessagebirdSms,
  MESSAGEBIRD_DELIVERY_STATES,
  type MessagebirdCredentials,
  type MessagebirdSmsConfig,
  messagebirdMessageBody,
  parseMessagebirdReport,
} from './messagebird-sms.ts';
