/**
 * @module GDPR over the model: what we hold about one person (art. 15 access, art. 20
 * portability) and the same data with their personal data erased (art. 17).
 */
import type { OrderEvent, Recipient } from '../order-event.ts';
import type { ConsentRecord } from './compliance-types.ts';
import { sameContact } from './contact-points.ts';

/** The person asking, by e-mail address and/or phone number. */
export interface DataSubject {
  email?: string;
  phone?: string;
}

export interface PersonalData {
  events: OrderEvent[];
  consents: ConsentRecord[];
}

/** What replaces erased values, so erased records are recognisable and stable. */
export const REDACTED = '[redacted]';

export interface PersonalDataExport {
  subject: DataSubject;
  /** Each place the person appears as a recipient of an order event. */
  recipients: {
    tenantId: string;
    orderRef: string;
    occurredAt: string;
    recipient: Recipient;
  }[];
  /** The orders they appear on, with the statuses we told or stored. */
  orders: {
    tenantId: string;
    orderRef: string;
    orderNumber: string;
    statuses: { status: string; occurredAt: string }[];
  }[];
  consents: ConsentRecord[];
}

const matchesContact = (subject: DataSubject, contact: string): boolean =>
  (subject.email !== undefined && sameContact(subject.email, contact)) ||
  (subject.phone !== undefined && sameContact(subject.phone, contact));

const isSubject = (subject: DataSubject, r: Recipient): boolean =>
  Object.values(r.contacts).some((c) => c !== undefined && matchesContact(subject, c));

/** Everything held about the person, as plain JSON: recipient entries, orders, consent history. */
export const exportPersonalData = (
  subject: DataSubject,
  data: PersonalData,
): PersonalDataExport => {
  const recipients: PersonalDataExport['recipients'] = [];
  const orders = new Map<string, PersonalDataExport['orders'][number]>();
  for (const event of data.events) {
    const mine = event.recipients.filter((r) => isSubject(subject, r));
    if (mine.length === 0) continue;
    for (const recipient of mine) {
      recipients.push({
        tenantId: event.tenantId,
        orderRef: event.orderRef,
        occurredAt: event.occurredAt,
        recipient: { ...recipient, contacts: { ...recipient.contacts } },
      });
    }
    const key = `${event.tenantId}\u0000${event.orderRef}`;
    const order = orders.get(key) ?? {
      tenantId: event.tenantId,
      orderRef: event.orderRef,
      orderNumber: event.order.number,
      statuses: [],
    };
    order.statuses.push({ status: event.status, occurredAt: event.occurredAt });
    orders.set(key, order);
  }
  return {
    subject: { ...subject },
    recipients,
    orders: [...orders.values()].map((o) => ({
      ...o,
      statuses: o.statuses.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)),
    })),
    consents: data.consents
      .filter((c) => matchesContact(subject, c.contact))
      .map((c) => ({ ...c })),
  };
};

/** A recipient entry with nothing left that identifies the person; role and locale stay. */
const erasedRecipient = (r: Recipient): Recipient => ({
  role: r.role,
  ...(r.id === undefined ? {} : { id: REDACTED }),
  ...(r.name === undefined ? {} : { name: REDACTED }),
  ...(r.locale === undefined ? {} : { locale: r.locale }),
  contacts: {},
});

/**
 * The same data with the person's personal data erased: their recipient entries lose name, ids,
 * contact points, zone, country and region; their consent records keep state and dates but not
 * the contact point. Events stay, so the order's history does; other recipients are untouched.
 */
export const erasePersonalData = (subject: DataSubject, data: PersonalData): PersonalData => ({
  events: data.events.map((event) =>
    event.recipients.some((r) => isSubject(subject, r))
      ? {
          ...event,
          recipients: event.recipients.map((r) => (isSubject(subject, r) ? erasedRecipient(r) : r)),
        }
      : event,
  ),
  consents: data.consents.map((c) =>
    matchesContact(subject, c.contact) ? { ...c, contact: REDACTED } : c,
  ),
});
