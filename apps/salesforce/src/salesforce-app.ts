/**
 * @module `POST /salesforce/events`: the endpoint the org's Apex (or a Flow through External
 * Services) calls. It verifies the org's signature and the replay window, normalizes each Order
 * Status through the tenant's mappings, ingests, and answers one result per event, in order.
 */

import { parseOrderEvent } from '@tidings/core';
import type { AppContext, IngestResult } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyPluginAsync } from 'fastify';
import { toOrgId18 } from './org-id.ts';
import {
  createReplayGuard,
  isWithinReplayWindow,
  ORG_HEADER,
  SIGNATURE_HEADER,
  verifySignature,
} from './request-signing.ts';
import { loadSalesforceCredential } from './salesforce-credentials.ts';
import {
  readEnvelope,
  readEvent,
  salesforceEventId,
  toOrderEventInput,
} from './salesforce-payload.ts';
import {
  createSalesforceWriteBack,
  type SalesforceWriteBackOptions,
} from './salesforce-write-back.ts';

export const SALESFORCE_EVENTS_ROUTE = '/salesforce/events';
/** 200 events of about a kilobyte each, with room to spare. */
export const SALESFORCE_BODY_LIMIT = 512 * 1024;

export const EVENT_OUTCOMES = ['notified', 'not_notified', 'duplicate', 'rejected'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** One entry of the response, lined up with the request's events (the Invocable's Result). */
export interface EventResult {
  orderId: string | null;
  outcome: EventOutcome;
  reason: string;
  eventId: string | null;
  /**
   * Every message this event planned, by intent id (the ids the order timeline and explain show);
   * empty unless accepted.
   */
  messageIds: string[];
  /** The first customer-facing message, else the first message; null when there is none. */
  messageId: string | null;
  /** For `rejected`: which paths were wrong or which value was unknown; never personal data. */
  detail?: string;
}

const noMessages = (): Pick<EventResult, 'messageIds' | 'messageId'> => ({
  messageIds: [],
  messageId: null,
});

/**
 * A Flow has room for one id, and the admin wants the message the customer gets, not a staff
 * alert planned alongside it; the planner's send/defer decisions say whose each intent is.
 */
const messagesOf = (
  intentIds: readonly string[],
  decisions: readonly { intentId?: string; audience?: string }[],
): Pick<EventResult, 'messageIds' | 'messageId'> => {
  const forCustomer = new Set(
    decisions.flatMap((d) => (d.intentId && d.audience === 'customer' ? [d.intentId] : [])),
  );
  return {
    messageIds: [...intentIds],
    messageId: intentIds.find((id) => forCustomer.has(id)) ?? intentIds[0] ?? null,
  };
};

type IngestPart = Pick<EventResult, 'outcome' | 'reason' | 'messageIds' | 'messageId'>;

const fromIngest = (r: IngestResult): IngestPart => {
  switch (r.outcome) {
    case 'accepted': {
      const messages = messagesOf(r.intentIds, r.decisions);
      if (r.intents > 0) return { outcome: 'notified', reason: r.verdict, ...messages };
      const why = r.verdict === 'notify' ? (r.decisions[0]?.reason ?? 'no_message') : r.verdict;
      return { outcome: 'not_notified', reason: why, ...messages };
    }
    case 'duplicate':
      return { outcome: 'duplicate', reason: 'duplicate_event', ...noMessages() };
    case 'echo':
      return { outcome: 'not_notified', reason: 'echo', ...noMessages() };
    case 'rejected':
      return { outcome: 'rejected', reason: r.code, ...noMessages() };
    default:
      return r satisfies never;
  }
};

export interface SalesforceAppOptions {
  /** Write-back settings (API version, connection factory for tests). */
  writeBack?: SalesforceWriteBackOptions;
}

/** The Salesforce app: the events route, and the `salesforce` write-back target. */
export const createSalesforceApp =
  (context: AppContext, options: SalesforceAppOptions = {}): FastifyPluginAsync =>
  async (server) => {
    const replays = createReplayGuard();
    context.writeBacks.register(
      createSalesforceWriteBack(
        {
          ...options.writeBack,
          ...(options.writeBack?.apiVersion || !context.env.SALESFORCE_API_VERSION
            ? {}
            : { apiVersion: context.env.SALESFORCE_API_VERSION }),
        },
        context.store,
      ),
    );

    server.post(SALESFORCE_EVENTS_ROUTE, { bodyLimit: SALESFORCE_BODY_LIMIT }, async (req) => {
      const raw = req.rawBody;
      if (!raw) throw new HttpError('malformed_body', 'A JSON body is required.');
      const header = req.headers[SIGNATURE_HEADER];
      const signature = typeof header === 'string' ? header : undefined;
      if (!signature) throw new HttpError('missing_signature', 'X-Tidings-Signature is missing.');

      const body = req.body as Record<string, unknown> | null;
      const orgId = toOrgId18(typeof body === 'object' && body ? body.orgId : undefined);
      if (!orgId) throw new HttpError('malformed_body', 'orgId must be a Salesforce org id.');
      const orgHeader = req.headers[ORG_HEADER];
      if (typeof orgHeader === 'string' && toOrgId18(orgHeader) !== orgId) {
        throw new HttpError('malformed_body', 'X-Tidings-Org-Id does not match orgId.');
      }

      const credential = await loadSalesforceCredential(context.store, orgId);
      if (!credential) {
        throw new HttpError('unknown_org', 'No Tidings signing secret is set up for this org.', {
          status: 401,
        });
      }
      const check = verifySignature(signature, credential.signingSecret, raw);
      if (!check.ok) throw new HttpError(check.code, check.message);

      const read = readEnvelope(body);
      if (!read.ok) {
        throw new HttpError('invalid_request', `The body is not valid: ${read.issues.join('; ')}`, {
          details: { issues: read.issues },
        });
      }
      const now = context.clock.now();
      if (!isWithinReplayWindow(read.envelope.sentAt, now)) {
        throw new HttpError('stale_request', 'sentAt is outside the 5-minute replay window.');
      }
      if (!replays.firstSighting(signature, now)) {
        throw new HttpError('replayed_request', 'This exact request was already received.');
      }

      const tenant = await context.tenants.get(orgId);
      if (!tenant.ok) {
        throw new HttpError(tenant.code, 'This org is not set up as a Tidings tenant.', {
          status: tenant.code === 'unknown_tenant' ? 403 : 500,
        });
      }
      if (!tenant.active)
        throw new HttpError('tenant_inactive', 'This org is deactivated.', { status: 403 });

      const results = await Promise.all(
        read.envelope.events.map(async (rawEvent): Promise<EventResult> => {
          const orderId =
            typeof rawEvent === 'object' && rawEvent && 'orderId' in rawEvent
              ? String((rawEvent as { orderId: unknown }).orderId)
              : null;
          const checked = readEvent(rawEvent);
          if (!checked.ok) {
            return {
              orderId,
              outcome: 'rejected',
              reason: 'invalid_event',
              eventId: null,
              ...noMessages(),
              detail: checked.issues.join('; '),
            };
          }
          const eventId = salesforceEventId(checked.event);
          const built = toOrderEventInput(orgId, checked.event, tenant.config);
          if (!built.ok) {
            return {
              orderId,
              outcome: 'rejected',
              reason: built.code,
              eventId,
              ...noMessages(),
              detail: built.message,
            };
          }
          const parsed = parseOrderEvent(built.input);
          if (!parsed.ok) {
            return {
              orderId,
              outcome: 'rejected',
              reason: 'invalid_event',
              eventId,
              ...noMessages(),
              detail: parsed.error.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
            };
          }
          const ingested = await context.ingest({
            event: parsed.event,
            rawBody: JSON.stringify(rawEvent),
            headers: { [ORG_HEADER]: orgId },
          });
          return { orderId, eventId, ...fromIngest(ingested) };
        }),
      );
      return { results };
    });
  };
