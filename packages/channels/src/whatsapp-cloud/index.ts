/** @module WhatsApp Business Cloud API: adapter, webhook signature, statuses and inbound messages. */
export {
  createWhatsappCloud,
  type WhatsappCloudConfig,
  type WhatsappCredentials,
  whatsappMessageBody,
} from './whatsapp-cloud.ts';
export { WHATSAPP_ERROR_RULES, whatsappRule } from './whatsapp-errors.ts';
export {
  parseWhatsappWebhook,
  verifyHubSignature,
  WHATSAPP_DELIVERY_STATES,
  whatsappVerifyChallenge,
} from './whatsapp-webhooks.ts';
