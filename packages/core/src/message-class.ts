/** @module Message classes: the law and our defaults treat each differently. */

/**
 * `critical`: the customer must act or lose something (failed delivery attempt, regulatory
 * hold, a delay that lets them cancel); `transactional`: order updates they expect;
 * `marketing`: anything promotional (review requests, cross-sells).
 */
export const MESSAGE_CLASSES = ['critical', 'transactional', 'marketing'] as const;
export type MessageClass = (typeof MESSAGE_CLASSES)[number];

export const AUDIENCES = ['customer', 'internal', 'account_owner'] as const;
/** Who a rule speaks to: the buyer, the merchant's team space, or the CRM record's owner. */
export type Audience = (typeof AUDIENCES)[number];
