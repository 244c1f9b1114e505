import { readFileSync } from 'node:fs';
import { labelsFor } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import {
  ACTION_LOCALES,
  buildActionDefinition,
  toProjectWorkflowAction,
} from './action-definition.ts';

const def = buildActionDefinition({ publicUrl: 'https://tidings.example.com/' });

describe('the action definition', () => {
  it('has every field HubSpot requires of a PublicActionDefinitionEgg (sources.md §4.4)', () => {
    for (const key of [
      'actionUrl',
      'functions',
      'inputFields',
      'labels',
      'objectTypes',
      'published',
    ])
      expect(def).toHaveProperty(key);
    expect(def.actionUrl).toBe('https://tidings.example.com/hubspot/actions/notify');
    expect(def.functions).toEqual([]);
    expect(def.published).toBe(false);
  });

  it('runs on deals, commerce orders, tickets and contacts', () => {
    expect(def.objectTypes).toEqual(['DEAL', 'ORDER', 'TICKET', 'CONTACT']);
  });

  it('declares each input with typeDefinition (name, type, options), isRequired and value types', () => {
    const names = def.inputFields.map((f) => f.typeDefinition.name);
    expect(names).toEqual([
      'status',
      'template',
      'channel',
      'recipient_email',
      'recipient_phone',
      'order_reference',
    ]);
    for (const field of def.inputFields) {
      expect(typeof field.isRequired).toBe('boolean');
      expect(field.typeDefinition.options).toBeInstanceOf(Array);
      expect(['string', 'enumeration', 'phone_number']).toContain(field.typeDefinition.type);
      for (const t of field.supportedValueTypes)
        expect(['STATIC_VALUE', 'OBJECT_PROPERTY']).toContain(t);
    }
    const byName = Object.fromEntries(def.inputFields.map((f) => [f.typeDefinition.name, f]));
    expect(byName.status?.isRequired).toBe(true);
    expect(byName.status?.supportedValueTypes).toEqual(['STATIC_VALUE', 'OBJECT_PROPERTY']);
    expect(byName.status?.typeDefinition.options).toHaveLength(14);
    expect(byName.template?.typeDefinition.optionsUrl).toBe(
      'https://tidings.example.com/hubspot/options/templates',
    );
    for (const name of ['channel', 'recipient_email', 'recipient_phone', 'order_reference'])
      expect(byName[name]?.supportedValueTypes).toEqual(['STATIC_VALUE', 'OBJECT_PROPERTY']);
  });

  it('declares the three outputs a workflow can branch on', () => {
    expect(def.outputFields.map((f) => f.typeDefinition.name)).toEqual([
      'tidings_outcome',
      'tidings_reason',
      'tidings_message_id',
    ]);
    const outcome = def.outputFields[0]?.typeDefinition;
    expect(outcome?.options.map((o) => o.value)).toEqual([
      'sent',
      'deferred',
      'suppressed',
      'failed',
    ]);
    for (const f of def.outputFields) expect(f.typeDefinition.externalOptions).toBe(false);
  });

  it('is labelled in en, es, fr and de, every input, option and output included', () => {
    expect(Object.keys(def.labels)).toEqual([...ACTION_LOCALES]);
    const inputs = def.inputFields.map((f) => f.typeDefinition.name);
    const outputs = def.outputFields.map((f) => f.typeDefinition.name);
    for (const locale of ACTION_LOCALES) {
      const l = def.labels[locale];
      expect(l.actionName.length).toBeGreaterThan(0);
      expect(Object.keys(l.inputFieldLabels).sort()).toEqual([...inputs].sort());
      expect(Object.keys(l.outputFieldLabels).sort()).toEqual([...outputs].sort());
      expect(Object.keys(l.inputFieldOptionLabels.status ?? {})).toHaveLength(14);
    }
    expect(new Set(ACTION_LOCALES.map((l) => def.labels[l].actionName)).size).toBe(4);
  });

  it("names the statuses in core's words, the ones the messages use", () => {
    for (const locale of ACTION_LOCALES)
      expect(def.labels[locale].inputFieldOptionLabels.status).toEqual(labelsFor(locale).statuses);
    expect(def.labels.de.inputFieldOptionLabels.status?.returned).toBe('Zurückgesandt');
    const status = def.inputFields[0]?.typeDefinition.options;
    expect(status?.find((o) => o.value === 'exception')?.label).toBe('Delivery problem');
  });

  it('is checked in as a developer-projects workflow-action file, identical to what the code builds', () => {
    const file = JSON.parse(
      readFileSync(
        new URL(
          '../hubspot-project/src/app/workflow-actions/tidings-notify-hsmeta.json',
          import.meta.url,
        ),
        'utf8',
      ),
    );
    const built = toProjectWorkflowAction(
      buildActionDefinition({ publicUrl: 'https://tidings.example.com' }),
    );
    expect(file).toEqual(built);
    expect(file).toMatchObject({
      type: 'workflow-action',
      config: { isPublished: false, supportedClients: [{ client: 'WORKFLOWS' }] },
    });
  });
});
