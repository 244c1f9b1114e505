/**
 * @module Loads the Tidings user event script (an AMD `define` module, as SuiteScript 2.1 runs
 * it) in Node with stand-ins for the `N/*` modules it uses: `N/crypto` signs with node:crypto the
 * way NetSuite's Hmac does, `N/https` records the post, API Secrets and script parameters are
 * given by the test.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

export const SCRIPT_PATH = new URL(
  '../netsuite/src/FileCabinet/SuiteScripts/Tidings/tidings_status_ue.js',
  import.meta.url,
);

export interface Posted {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface FakeRecord {
  type: string;
  id: number;
  values: Record<string, unknown>;
  texts?: Record<string, string>;
  packages?: string[];
}

const record = (r: FakeRecord | undefined) =>
  r && {
    type: r.type,
    id: r.id,
    getValue: ({ fieldId }: { fieldId: string }) => r.values[fieldId] ?? '',
    getText: ({ fieldId }: { fieldId: string }) => r.texts?.[fieldId] ?? '',
    getLineCount: ({ sublistId }: { sublistId: string }) =>
      sublistId === 'package' ? (r.packages?.length ?? 0) : -1,
    getSublistValue: ({ line }: { sublistId: string; fieldId: string; line: number }) =>
      r.packages?.[line] ?? '',
  };

export interface LoadedScript {
  dependencies: string[];
  afterSubmit(context: { type: string; newRecord?: FakeRecord; oldRecord?: FakeRecord }): void;
  posts: Posted[];
  logs: { title: string; details: string }[];
}

export const loadScript = (options: {
  secrets: Record<string, string>;
  parameters: Record<string, string>;
  accountId: string;
  salesOrders?: Record<string, Record<string, string>>;
  respond?: (posted: Posted) => { code: number; body: string };
}): LoadedScript => {
  const posts: Posted[] = [];
  const logs: { title: string; details: string }[] = [];
  const Encoding = { UTF_8: 'UTF_8', BASE_64: 'BASE_64', HEX: 'HEX' };
  const modules: Record<string, unknown> = {
    'N/crypto': {
      HashAlg: { SHA256: 'SHA256', SHA512: 'SHA512' },
      createSecretKey: ({ secret, encoding }: { secret: string; encoding: string }) => {
        const value = options.secrets[secret];
        if (value === undefined || encoding !== Encoding.UTF_8)
          throw new Error('INVALID_SECRET_KEY');
        return { value };
      },
      createHmac: ({ algorithm, key }: { algorithm: string; key: { value: string } }) => {
        if (algorithm !== 'SHA256') throw new Error('unexpected algorithm');
        const hmac = createHmac('sha256', key.value);
        return {
          update: ({ input, inputEncoding }: { input: string; inputEncoding: string }) => {
            if (inputEncoding !== Encoding.UTF_8) throw new Error('unexpected input encoding');
            hmac.update(input, 'utf8');
          },
          digest: ({ outputEncoding }: { outputEncoding: string }) =>
            hmac.digest(outputEncoding === Encoding.BASE_64 ? 'base64' : 'hex'),
        };
      },
    },
    'N/encode': { Encoding },
    'N/https': {
      post: (o: Posted) => {
        posts.push(o);
        return options.respond?.(o) ?? { code: 202, body: '{}' };
      },
    },
    'N/log': {
      error: (e: { title: string; details: string }) => logs.push(e),
      audit: () => undefined,
      debug: () => undefined,
    },
    'N/runtime': {
      accountId: options.accountId,
      getCurrentScript: () => ({
        getParameter: ({ name }: { name: string }) => options.parameters[name] ?? null,
      }),
    },
    'N/search': {
      Type: { SALES_ORDER: 'salesorder' },
      lookupFields: ({ type, id }: { type: string; id: string }) => {
        if (type !== 'salesorder') throw new Error('unexpected look-up');
        return options.salesOrders?.[id] ?? {};
      },
    },
  };
  let captured:
    | { deps: string[]; factory: (...args: unknown[]) => { afterSubmit: (c: unknown) => void } }
    | undefined;
  runInNewContext(readFileSync(SCRIPT_PATH, 'utf8'), {
    define: (
      deps: string[],
      factory: (...args: unknown[]) => { afterSubmit: (c: unknown) => void },
    ) => {
      captured = { deps, factory };
    },
    Date,
    JSON,
    String,
    Math,
    Error,
  });
  if (!captured) throw new Error('the script did not call define');
  const missing = captured.deps.filter((d) => !(d in modules));
  if (missing.length > 0) throw new Error(`no stand-in for ${missing.join(', ')}`);
  const api = captured.factory(...captured.deps.map((d) => modules[d]));
  return {
    dependencies: captured.deps,
    posts,
    logs,
    afterSubmit: (c) =>
      api.afterSubmit({
        type: c.type,
        UserEventType: {
          CREATE: 'create',
          EDIT: 'edit',
          XEDIT: 'xedit',
          DELETE: 'delete',
          SHIP: 'ship',
        },
        newRecord: record(c.newRecord),
        oldRecord: record(c.oldRecord),
      }),
  };
};
