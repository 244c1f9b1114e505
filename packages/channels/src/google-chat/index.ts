/** @module Google Chat: Chat app (service account) or incoming webhook. */
export { createGoogleChat, type GoogleChatCredentials, googleChatBody } from './google-chat.ts';
export {
  CHAT_BOT_SCOPE,
  GOOGLE_TOKEN_URL,
  type ServiceAccount,
  serviceAccountAssertion,
} from './service-account-token.ts';
