/**
 * @module Registers the action definition for an app, idempotently, through
 * `@hubspot/api-client`: the app's definitions are listed, ours is found by its action URL, and
 * it is created, updated (PATCH) or — when HubSpot already holds the same — left alone.
 */
import { Client } from '@hubspot/api-client';
import type { ActionDefinition } from './action-definition.ts';
import { classifyStatus, HUBSPOT_API_BASE, type HubspotFailure } from './hubspot-api.ts';

export type RegisterOutcome = 'created' | 'updated' | 'unchanged';

export type RegisterResult =
  | { ok: true; outcome: RegisterOutcome; definitionId: string }
  | { ok: false; error: HubspotFailure };

export interface RegisterInput {
  appId: number;
  /** The developer account's API key (v4 definition endpoints take `hapikey`). */
  developerApiKey: string;
  definition: ActionDefinition;
  /** Default `https://api.hubapi.com`; tests pass a local stub. */
  basePath?: string;
}

/** The fields we own, with keys sorted and empty values dropped, for comparison. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined && v !== null) out[k] = canonical(v);
    }
    return out;
  }
  return value;
};

const OWNED = [
  'actionUrl',
  'published',
  'objectTypes',
  'inputFields',
  'outputFields',
  'labels',
] as const;
const owned = (d: object) =>
  JSON.stringify(
    canonical(Object.fromEntries(OWNED.map((k) => [k, (d as Record<string, unknown>)[k]]))),
  );

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};

/** Creates or updates the definition so HubSpot holds exactly `input.definition`. */
export const registerActionDefinition = async (input: RegisterInput): Promise<RegisterResult> => {
  const client = new Client({
    developerApiKey: input.developerApiKey,
    basePath: (input.basePath ?? HUBSPOT_API_BASE).replace(/\/+$/, ''),
    numberOfApiCallRetries: 0,
  });
  const api = client.automation.actions.definitionsApi;
  // The SDK's generated models mirror HubSpot's schema; ours is a structural subset of them.
  const body = JSON.parse(JSON.stringify(input.definition));
  try {
    let after: string | undefined;
    for (;;) {
      const page = await api.getPage(input.appId, 100, after);
      const existing = page.results.find((d) => d.actionUrl === input.definition.actionUrl);
      if (existing) {
        // Serialise through JSON: the SDK's instances carry undefined slots and class prototypes.
        if (owned(JSON.parse(JSON.stringify(existing))) === owned(body))
          return { ok: true, outcome: 'unchanged', definitionId: existing.id };
        const { functions: _functions, ...patch } = body;
        const updated = await api.update(existing.id, input.appId, patch);
        return { ok: true, outcome: 'updated', definitionId: updated.id };
      }
      after = page.paging?.next?.after;
      if (!after) break;
    }
    const created = await api.create(input.appId, body);
    return { ok: true, outcome: 'created', definitionId: created.id };
  } catch (err) {
    return { ok: false, error: classifyStatus(statusOf(err), 'action definition') };
  }
};
