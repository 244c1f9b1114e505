/**
 * Every value in core's table for each field a source reads goes through that source's own
 * field naming to the meaning the table gives it: no value of a platform's vocabulary is refused
 * as unknown or lands on another meaning because a route reads the wrong field.
 */
import { VOCABULARIES } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { aftershipUpdate } from '../src/carriers/aftership/index.ts';
import { easypostUpdate } from '../src/carriers/easypost/index.ts';
import { deliveryFields, salesOrderFields } from '../src/sap/sap-events.ts';
import { combineStatuses, normalizeFields, type StatusField } from '../src/shared/status-fields.ts';

const now = new Date('2026-01-01T00:00:00Z');
const rowsOf = (platform: 'aftership' | 'easypost' | 'sap', field: string) =>
  Object.entries(VOCABULARIES[platform].fields[field]?.rows ?? {});

const meaning = (platform: string, fields: StatusField[]) => {
  const n = normalizeFields(platform, fields, {});
  if (!n.ok) throw new Error(`${n.error.code}: ${n.error.message}`);
  return n.parts;
};

describe('AfterShip: every tag and subtag core knows, as the webhook route reads them', () => {
  const read = (tag: string, subtag?: string) =>
    meaning(
      'aftership',
      aftershipUpdate(
        {
          event: 'tracking_update',
          event_id: 'e',
          msg: { tracking_number: 'T', tag, ...(subtag ? { subtag } : {}) },
        },
        { orderRefField: 'order_id' },
        now,
      ).statuses,
    );
  const tags = rowsOf('aftership', 'tag');
  const subtags = rowsOf('aftership', 'subtag');
  // Sent as AfterShip spells them (`InTransit`, `InTransit_002`); the table keys them lower-case.
  const spelled = (key: string) => {
    const tag = key.split('_')[0] ?? key;
    const official = TAGS.find((t) => t.toLowerCase() === tag);
    if (!official) throw new Error(`no AfterShip tag for ${key}`);
    return official + key.slice(tag.length);
  };
  const TAGS = [
    'Pending',
    'InfoReceived',
    'InTransit',
    'OutForDelivery',
    'AttemptFail',
    'Delivered',
    'AvailableForPickup',
    'Exception',
    'Expired',
  ];

  it('has a row for each of the nine tags AfterShip documents', () => {
    expect(tags.map(([t]) => spelled(t)).sort()).toEqual([...TAGS].sort());
  });

  it.each(tags)('tag %s', (value, row) => {
    const [only] = read(spelled(value));
    expect(only?.status).toBe(row.status);
    expect(only?.overlay).toBe(row.overlay);
  });

  it.each(subtags)('subtag %s is read first, as its table says', (value, row) => {
    const subtag = spelled(value);
    const [sub, tag] = read(subtag.split('_')[0] ?? '', subtag);
    expect(tag).toBeDefined();
    expect(sub?.status).toBe(row.status);
    expect(sub?.overlay).toBe(row.overlay);
  });

  it.each(TAGS)('a subtag of %s the table does not list yet means its tag', (tag) => {
    const [sub, own] = read(tag, `${tag}_099`);
    expect(sub?.status).toBe(own?.status);
    expect(sub?.overlay).toBe(own?.overlay);
  });
});

describe('EasyPost: every status and status_detail core knows, as the tracker route reads them', () => {
  const read = (status: string, detail?: string) =>
    meaning(
      'easypost',
      easypostUpdate(
        { id: 'evt', object: 'Event', description: 'tracker.updated', result: {} },
        {
          object: 'Tracker',
          tracking_code: 'T',
          status,
          ...(detail ? { status_detail: detail } : {}),
        },
        now,
      ).statuses,
    );

  it.each(rowsOf('easypost', 'status'))('status %s', (value, row) => {
    const [status] = read(value);
    expect(status?.status).toBe(row.status);
    expect(status?.overlay).toBe(row.overlay);
  });

  it.each(rowsOf('easypost', 'status_detail'))('status_detail %s', (value, row) => {
    const [, detail] = read('in_transit', value);
    expect(detail?.status).toBe(row.status);
    expect(detail?.overlay).toBe(row.overlay);
    expect(combineStatuses(read('in_transit', value))).toBeDefined();
  });
});

describe('SAP: every value of each header field the route reads back through OData', () => {
  const fieldsRead = [
    ...salesOrderFields({} as Parameters<typeof salesOrderFields>[0]),
    ...deliveryFields({} as Parameters<typeof deliveryFields>[0]),
  ].map((f) => f.field);

  it('reads only fields core has a table for', () => {
    for (const field of fieldsRead) expect(VOCABULARIES.sap.fields[field]).toBeDefined();
  });

  const cases = [...new Set(fieldsRead)].flatMap((field) =>
    rowsOf('sap', field).map(([value, row]) => [field, value, row] as const),
  );
  it.each(cases)('%s = %j', (field, value, row) => {
    const [only] = meaning('sap', [{ field, value: value.toUpperCase() }]);
    expect(only?.status).toBe(row.status);
    expect(only?.overlay).toBe(row.overlay);
  });
});
