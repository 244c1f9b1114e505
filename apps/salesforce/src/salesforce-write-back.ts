/**
 * @module The `salesforce` write-back target: after Tidings sends, defers or suppresses a message
 * about an Order, it sets the Order's `Tidings_Status__c` and posts a Chatter feed item on it, with
 * `jsforce` (API version set explicitly; jsforce would default to 50.0). Orgs authorize with the
 * OAuth JWT bearer flow. Several Orders at once go as one sObject Collections request and one
 * Chatter batch. When `Sforce-Limit-Info` shows the org's daily API use near its limit, writes are
 * deferred instead of spending the org's last calls.
 */
import type { Clock, SendFailure } from '@tidings/core';
import type { WriteBackJob, WriteBackResult, WriteBackTarget } from '@tidings/engine';
import type { Store } from '@tidings/store';
import { Connection } from 'jsforce';
import { JWT_BEARER_GRANT, jwtBearerAssertion } from './jwt-bearer.ts';
import { loadSalesforceCredential, type SalesforceCredential } from './salesforce-credentials.ts';

export const DEFAULT_API_VERSION = '62.0';
export const STATUS_FIELD = 'Tidings_Status__c';
const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

export interface SalesforceWriteBackOptions {
  /** Salesforce REST API version, e.g. `62.0` (env `SALESFORCE_API_VERSION`). */
  apiVersion?: string;
  /** Defer writes once this share of the org's daily API requests is used; default 0.9. */
  apiUsageCeiling?: number;
  /** How long to wait before retrying a deferred write; default one hour. */
  deferMs?: number;
  /** Overrides the instance URL a connection talks to (tests point it at a loopback stub). */
  instanceUrl?: string;
  /** Overrides the login URL the JWT is exchanged at (tests point it at a loopback stub). */
  loginUrl?: string;
}

const failure = (
  cls: SendFailure['class'],
  code: string,
  message: string,
  extra: Partial<SendFailure> = {},
): { ok: false; error: SendFailure } => ({
  ok: false,
  error: { class: cls, code, message, ...extra },
});

/** The text on the Order and in the Chatter post: no personal data, just what happened. */
export const statusLine = (job: WriteBackJob): string => `${job.status}: ${job.note}`.slice(0, 255);

/** Sorts a jsforce / HTTP error into retryable or permanent, without keeping its body. */
const classify = (err: unknown): { ok: false; error: SendFailure } => {
  const e = err as { errorCode?: string; name?: string; statusCode?: number; message?: string };
  const code = e.errorCode ?? e.name ?? 'salesforce_error';
  const status = e.statusCode;
  const retryable =
    code === 'REQUEST_LIMIT_EXCEEDED' ||
    code === 'UNABLE_TO_LOCK_ROW' ||
    code === 'SERVER_UNAVAILABLE' ||
    code === 'ECONNREFUSED' ||
    (status !== undefined && (status >= 500 || status === 429));
  return failure(
    retryable ? 'retryable' : 'permanent',
    'salesforce_write_failed',
    `Salesforce answered ${code}.`,
    {
      providerCode: code,
      ...(status !== undefined ? { providerStatus: status } : {}),
    },
  );
};

/** Creates the write-back target; connections are made per org and kept until a session expires. */
export const createSalesforceWriteBack = (
  options: SalesforceWriteBackOptions,
  store: Store,
): WriteBackTarget & {
  writeMany(
    jobs: readonly WriteBackJob[],
    deps: { store: Store; clock: Clock },
  ): Promise<WriteBackResult>;
} => {
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  const ceiling = options.apiUsageCeiling ?? 0.9;
  const deferMs = options.deferMs ?? 60 * 60 * 1000;
  const connections = new Map<string, Connection>();

  const connect = async (
    tenantId: string,
    credential: SalesforceCredential,
    clock: Clock,
  ): Promise<Connection> => {
    const cached = connections.get(tenantId);
    if (cached) return cached;
    let conn: Connection;
    if (credential.jwt) {
      const loginUrl = options.loginUrl ?? credential.jwt.loginUrl ?? DEFAULT_LOGIN_URL;
      conn = new Connection({ loginUrl, version });
      const assertion = jwtBearerAssertion(
        { consumerKey: credential.jwt.consumerKey, username: credential.jwt.username, loginUrl },
        credential.jwt.privateKey,
        clock.now(),
      );
      await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion });
      if (options.instanceUrl) conn.instanceUrl = options.instanceUrl;
    } else {
      const instanceUrl = options.instanceUrl ?? credential.instanceUrl;
      if (!credential.accessToken || !instanceUrl)
        throw new Error('bug: appliesTo let an unusable credential through');
      conn = new Connection({ instanceUrl, accessToken: credential.accessToken, version });
    }
    connections.set(tenantId, conn);
    return conn;
  };

  const nearLimit = (conn: Connection): boolean => {
    const usage = conn.limitInfo.apiUsage;
    return usage !== undefined && usage.limit > 0 && usage.used / usage.limit >= ceiling;
  };

  const usable = (c: SalesforceCredential | undefined): c is SalesforceCredential =>
    c !== undefined &&
    (c.jwt !== undefined ||
      (c.accessToken !== undefined &&
        (c.instanceUrl !== undefined || options.instanceUrl !== undefined)));

  const writeMany = async (
    jobs: readonly WriteBackJob[],
    deps: { store: Store; clock: Clock },
  ): Promise<WriteBackResult> => {
    const first = jobs[0];
    if (!first) return { ok: true, fingerprints: [] };
    if (jobs.some((j) => j.tenantId !== first.tenantId))
      throw new Error('bug: writeMany mixes orgs');
    const bad = jobs.find((j) => !RECORD_ID.test(j.orderRef));
    if (bad)
      return failure(
        'permanent',
        'not_a_salesforce_order',
        'The order reference is not a Salesforce record id.',
      );
    const credential = await loadSalesforceCredential(deps.store, first.tenantId);
    if (!usable(credential))
      return failure(
        'permanent',
        'not_configured',
        'No Salesforce write-back credential for this org.',
      );
    let conn: Connection;
    try {
      conn = await connect(first.tenantId, credential, deps.clock);
    } catch (err) {
      return classify(err);
    }
    if (nearLimit(conn)) {
      return failure(
        'retryable',
        'api_limit_near',
        'The org is close to its daily API request limit.',
        { retryAfterMs: deferMs },
      );
    }
    try {
      const records = jobs.map((j) => ({ Id: j.orderRef, [STATUS_FIELD]: statusLine(j) }));
      const saved =
        jobs.length === 1
          ? [await conn.sobject('Order').update(records[0] as { Id: string })]
          : await conn.sobject('Order').update(records, { allOrNone: false });
      const failed = saved.find((s) => !s.success);
      if (failed) {
        const code =
          (failed as { errors?: { errorCode?: string }[] }).errors?.[0]?.errorCode ??
          'update_failed';
        return failure(
          'permanent',
          'salesforce_write_failed',
          `Salesforce refused the Order update: ${code}.`,
          { providerCode: code },
        );
      }
      const feedItem = (j: WriteBackJob) => ({
        body: { messageSegments: [{ type: 'Text', text: `Tidings — ${statusLine(j)}` }] },
        feedElementType: 'FeedItem',
        subjectId: j.orderRef,
      });
      if (jobs.length === 1) {
        await conn.chatter.resource('/feed-elements').create(feedItem(first));
      } else {
        await conn.chatter.resource('/feed-elements/batch').create({
          inputs: jobs.map((j) => ({ richInput: feedItem(j) })),
        });
      }
    } catch (err) {
      const code = (err as { errorCode?: string }).errorCode;
      if (code === 'INVALID_SESSION_ID') connections.delete(first.tenantId);
      return classify(err);
    }
    // FeedItems and field updates cause no Tidings webhook, so there is nothing to fingerprint.
    return { ok: true, fingerprints: [] };
  };

  return {
    target: 'salesforce',
    async appliesTo(tenantId) {
      return usable(await loadSalesforceCredential(store, tenantId));
    },
    write: (job, deps) => writeMany([job], deps),
    writeMany,
  };
};
