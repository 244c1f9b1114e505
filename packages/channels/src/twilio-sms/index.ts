/** @module Twilio SMS: adapter, webhook signature and receipt parsing. */

export { TWILIO_ERROR_RULES } from './twilio-errors.ts';
export { parseTwilioRequest, TWILIO_DELIVERY_STATES } from './twilio-receipts.ts';
export { twilioSignedString, verifyTwilioSignature } from './twilio-signature.ts';
export { createTwilioSms, type TwilioCredentials, type TwilioSmsConfig } from './twilio-sms.ts';
