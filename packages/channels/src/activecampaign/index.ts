/** @module ActiveCampaign contact sync and event tracking. */
export {
  type ActivecampaignConfig,
  type ActivecampaignCredentials,
  activecampaignContactBody,
  activecampaignEventName,
  createActivecampaign,
} from './activecampaign.ts';
