/** @module Intercom data events and admin-initiated messages. */
export {
  createIntercom,
  type IntercomCredentials,
  type IntercomMode,
  intercomEventBody,
  intercomMessageBody,
} from './intercom.ts';
