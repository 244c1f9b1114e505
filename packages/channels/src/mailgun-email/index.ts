/** @module Mailgun e-mail: adapter and signed webhooks. */
export { createMailgunEmail, type MailgunCredentials, mailgunFormFields } from './mailgun-email.ts';
export {
  MAILGUN_DELIVERY_STATES,
  parseMailgunWebhook,
  verifyMailgunSignature,
} from './mailgun-webhooks.ts';
