/** @module SMS encoding and segment counting, re-exported for the package entry. */
export { countSmsSegments, isGsm7, SMS_LIMITS } from './sms-segments.ts';
