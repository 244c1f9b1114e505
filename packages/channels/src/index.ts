/** @module `@tidings/channels`: every outbound provider behind core's `Channel` interface. */

export * from './activecampaign/index.ts';
export * from './dev-sink/index.ts';
export * from './google-chat/index.ts';
export * from './http/channel-deps.ts';
export * from './http/provider-transport.ts';
export * from './http/send-failures.ts';
export * from './inbound/index.ts';
export * from './intercom/index.ts';
export * from './klaviyo/index.ts';
export * from './mailgun-email/index.ts';
export * from './messagebird-sms/index.ts';
export * from './onesignal-push/index.ts';
export type * from './provider-channel.ts';
export type * from './send-options.ts';
export * from './sendgrid-email/index.ts';
export * from './slack/index.ts';
export * from './teams/index.ts';
export * from './twilio-sms/index.ts';
export * from './whatsapp-cloud/index.ts';
