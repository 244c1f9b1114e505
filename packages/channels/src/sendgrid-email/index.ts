/** @module Twilio SendGrid e-mail: adapter and the signed Event Webhook. */
export {
  createSendgridEmail,
  type SendgridCredentials,
  sendgridMailBody,
} from './sendgrid-email.ts';
export {
  parseSendgridEvents,
  SENDGRID_DELIVERY_STATES,
  verifySendgridSignature,
} from './sendgrid-event-webhook.ts';
