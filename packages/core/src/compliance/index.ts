/** @module Compliance: send, defer or suppress each candidate message, with a reason code. */
export { checkCompliance } from './check-compliance.ts';
export type {
  ComplianceDecision,
  ComplianceInput,
  ComplianceNotices,
  ComplianceSettings,
  ConsentRecord,
  ConsentSource,
  ConsentState,
  RecipientFacts,
  Rewrite,
} from './compliance-types.ts';
export {
  COMPLIANCE_REASONS,
  CONSENT_SOURCES,
  CONSENT_STATES,
  type ComplianceReason,
  REWRITES,
} from './compliance-types.ts';
export { type ConsentVerdict, checkConsent, newestConsent } from './consent.ts';
export { canonicalContact, sameContact } from './contact-points.ts';
export { euWithdrawalDeadline } from './eu-withdrawal.ts';
export { type FtcDelayNotice, type FtcDelayReason, ftcDelayNotice } from './ftc-mail-order.ts';
export {
  type DataSubject,
  erasePersonalData,
  exportPersonalData,
  type PersonalData,
  type PersonalDataExport,
  REDACTED,
} from './gdpr.ts';
export {
  isEeaCountry,
  JURISDICTION_RULES,
  type Jurisdiction,
  type JurisdictionRule,
  jurisdictionRules,
  recipientJurisdiction,
} from './jurisdictions.ts';
export { consentFromKeyword, KEYWORD_KINDS, type KeywordKind, parseKeyword } from './keywords.ts';
export {
  type ClockWindow,
  DEFAULT_QUIET_HOURS,
  nextAllowedInstant,
  type TimingRule,
} from './quiet-hours.ts';
export {
  type RecipientTimeZone,
  recipientTimeZone,
  TIME_ZONE_SOURCES,
  type TimeZoneSource,
} from './recipient-time-zone.ts';
export {
  categoryFamilies,
  RESTRICTED_FAMILIES,
  type RestrictedFamily,
  SHAFT_FAMILIES,
} from './restricted-goods.ts';
export { whatsappWindowOpen } from './whatsapp-window.ts';
