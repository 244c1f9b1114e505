/**
 * @module GDPR by contact point: what a tenant holds about one person (export, art. 15/20) and
 * erasing it (art. 17). The store finds candidates by text; core decides what is the person's
 * (`exportPersonalData`, `erasePersonalData`); the store writes the erasure in one transaction.
 */
import {
  canonicalContact,
  type DataSubject,
  erasePersonalData,
  exportPersonalData,
  type Intent,
  type PersonalDataExport,
  REDACTED,
  sameContact,
} from '@tidings/core';
import type { ErasureReport, PersonalDataRecords, Store, StoredEvent } from '@tidings/store';

/** The person behind a contact point: an e-mail address, or a phone number (E.164). */
export const subjectOf = (contact: string): DataSubject =>
  contact.includes('@') ? { email: contact.trim() } : { phone: canonicalContact(contact) };

const formsOf = (contact: string): string[] => [
  ...new Set([contact.trim(), canonicalContact(contact)]),
];

const deliveriesOf = (intent: Intent) => [intent.delivery, ...intent.fallbacks];

const addressesPerson = (intent: Intent, person: Person): boolean =>
  deliveriesOf(intent).some((d) => d.to !== undefined && isTheirs(person, d.to));

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a raw body names the contact as a whole token (so `ann@example.com` is not found
 * inside `joann@example.com`), case-insensitively, in any of the forms searched.
 */
const rawBodyNames = (event: StoredEvent, forms: readonly string[]): boolean => {
  const text = new TextDecoder().decode(event.rawBody).toLowerCase();
  return forms.some((form) =>
    new RegExp(`(^|[^a-z0-9._%+-])${escapeRegExp(form.toLowerCase())}($|[^a-z0-9._%+-])`).test(
      text,
    ),
  );
};

export interface ContactExport extends PersonalDataExport {
  /** The messages we planned or sent to the contact point (no bodies: they are not kept). */
  messages: {
    intentId: string;
    orderRef: string;
    channel: string;
    templateKey: string;
    status: string;
    createdAt: string;
  }[];
}

interface Person {
  subject: DataSubject;
  /** Every contact point known to be theirs, in the forms searched. */
  forms: string[];
  found: PersonalDataRecords;
}

/**
 * Finds what may be the person's. A recipient entry that carries the contact point also names
 * their other contact points (the phone beside the e-mail address): those are searched too, so
 * erasing by e-mail also reaches the SMS sent to the same person.
 */
const find = async (store: Store, tenantId: string, contact: string): Promise<Person> => {
  const found = await store.findPersonalData(tenantId, formsOf(contact));
  const given = subjectOf(contact);
  const emails = new Set(given.email ? [given.email] : []);
  const phones = new Set(given.phone ? [given.phone] : []);
  for (const { event } of found.events) {
    for (const r of event.recipients) {
      const points = Object.values(r.contacts).filter((c): c is string => c !== undefined);
      if (!points.some((c) => sameContact(c, contact))) continue;
      if (r.contacts.email) emails.add(r.contacts.email);
      for (const phone of [r.contacts.sms, r.contacts.whatsapp]) if (phone) phones.add(phone);
    }
  }
  const all = [...emails, ...phones];
  const forms = [...new Set(all.flatMap(formsOf))];
  const email = given.email ?? [...emails][0];
  const phone = given.phone ?? [...phones][0];
  const subject: DataSubject = { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
  if (all.length <= 1) return { subject, forms, found };
  return { subject, forms, found: await store.findPersonalData(tenantId, forms) };
};

const isTheirs = (person: Person, point: string): boolean =>
  person.forms.some((f) => sameContact(f, point));

/** Everything a tenant holds about the person with this contact point, as plain JSON. */
export const exportContact = async (
  store: Store,
  tenantId: string,
  contact: string,
): Promise<ContactExport> => {
  const person = await find(store, tenantId, contact);
  const { found } = person;
  const exported = exportPersonalData(person.subject, {
    events: found.events.map((e) => e.event),
    consents: found.consents,
  });
  return {
    ...exported,
    messages: found.intents
      .filter((i) => addressesPerson(i.intent, person))
      .map((i) => ({
        intentId: i.intent.id,
        orderRef: i.intent.orderRef,
        channel: i.delivery.channel,
        templateKey: i.intent.templateKey,
        status: i.status,
        createdAt: i.createdAt,
      })),
  };
};

/**
 * Erases the person with this contact point from a tenant's data: their recipient entries in
 * events (core's `erasePersonalData`), the raw body of every event that names them (replaced
 * whole: platform payloads carry names and addresses in shapes we cannot redact field by field),
 * the contact point of their consent records, and the contact and template variables of the
 * messages addressed to them (cancelled if still waiting). Audited, without the contact.
 */
export const eraseContact = async (
  store: Store,
  tenantId: string,
  contact: string,
  by: { actor: string; at: string },
): Promise<ErasureReport> => {
  const person = await find(store, tenantId, contact);
  const { found, forms } = person;
  const erased = erasePersonalData(person.subject, {
    events: found.events.map((e) => e.event),
    consents: found.consents,
  });
  const events = found.events.flatMap((stored, i) => {
    const event = erased.events[i] ?? stored.event;
    const changed = JSON.stringify(event) !== JSON.stringify(stored.event);
    return changed || rawBodyNames(stored, forms) ? [{ seq: stored.seq, event }] : [];
  });
  const consents = found.consents.filter((c) => isTheirs(person, c.contact));
  const intents = found.intents
    .filter((i) => addressesPerson(i.intent, person))
    .map((i) => {
      const redact = <D extends { to?: string }>(d: D): D =>
        d.to !== undefined && isTheirs(person, d.to) ? { ...d, to: REDACTED } : d;
      const { context: _context, ...rest } = i.intent;
      return {
        id: i.intent.id,
        intent: {
          ...rest,
          delivery: redact(i.intent.delivery),
          fallbacks: i.intent.fallbacks.map(redact),
        },
      };
    });
  return store.erasePersonalData({
    tenantId,
    events,
    consents,
    intents,
    at: by.at,
    actor: by.actor,
  });
};
