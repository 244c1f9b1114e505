/** @module Slack chat.postMessage and request signing. */
export {
  createSlack,
  type SlackConfig,
  type SlackCredentials,
  verifySlackSignature,
} from './slack.ts';
export { SLACK_ERROR_RULES } from './slack-errors.ts';
