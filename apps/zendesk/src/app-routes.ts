/**
 * @module The sidebar app's backend under `/zendesk/app/*`: the order's notification timeline
 * (with the reason behind each message) and the manual override, which goes through the same
 * ingest as every event with the agent as actor. Every call carries the ZAF-signed token.
 */
import {
  CANONICAL_STATUSES,
  type CanonicalStatus,
  type OrderEvent,
  OVERLAY_KINDS,
  type OverlayKind,
  orderProgress,
  parseOrderEvent,
} from '@tidings/core';
import { type AppContext, orderTimeline } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { verifyZafToken, type ZafClaims } from './zaf-auth.ts';
import { loadZendeskCredential } from './zendesk-credentials.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const OVERLAYS: readonly string[] = OVERLAY_KINDS;
const STATUSES: readonly string[] = CANONICAL_STATUSES;

export interface OverrideRequest {
  orderRef: string;
  status: CanonicalStatus;
  reason: string;
  /** The sidebar's id for this click, so a retried request is applied once. */
  requestId: string;
  notify: boolean;
  overlayReason?: string;
  promisedDate?: string;
}

/** Checks an override body; every problem is named. */
export const parseOverrideRequest = (
  body: unknown,
): { ok: true; value: OverrideRequest } | { ok: false; issues: string[] } => {
  if (!isObj(body)) return { ok: false, issues: ['(root): must be a JSON object'] };
  const issues: string[] = [];
  const str = (k: string, min: number, max: number): string | undefined => {
    const v = body[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim().length < min || v.length > max) {
      issues.push(`${k}: must be text of ${min}–${max} characters`);
      return undefined;
    }
    return v.trim();
  };
  const orderRef = str('orderRef', 1, 200);
  const status = str('status', 1, 40);
  const reason = str('reason', 3, 500);
  const requestId = str('requestId', 8, 128);
  const overlayReason = str('overlayReason', 1, 60);
  const promisedDate = str('promisedDate', 10, 10);
  if (!orderRef) issues.push('orderRef: required');
  if (!reason) issues.push('reason: required; say why, in a few words');
  if (!requestId) issues.push('requestId: required');
  if (!status || !STATUSES.includes(status) || status === 'split_shipment') {
    issues.push('status: must be a canonical status (e.g. dispatched, delayed, cancelled)');
  }
  if (body.notify !== undefined && typeof body.notify !== 'boolean')
    issues.push('notify: must be true or false');
  if (promisedDate && !/^\d{4}-\d{2}-\d{2}$/.test(promisedDate))
    issues.push('promisedDate: YYYY-MM-DD');
  if (issues.length > 0 || !orderRef || !status || !reason || !requestId)
    return { ok: false, issues };
  return {
    ok: true,
    value: {
      orderRef,
      status: status as CanonicalStatus,
      reason,
      requestId,
      notify: body.notify !== false,
      ...(overlayReason ? { overlayReason } : {}),
      ...(promisedDate ? { promisedDate } : {}),
    },
  };
};

/** The override as an event, built on the order's last event (its recipients and facts). */
export const overrideEvent = (
  last: OrderEvent,
  request: OverrideRequest,
  agent: ZafClaims,
  at: string,
): OrderEvent | { issues: { path: string; message: string }[] } => {
  const overlay = OVERLAYS.includes(request.status)
    ? {
        kind: request.status as OverlayKind,
        ...(request.overlayReason ? { reason: request.overlayReason } : {}),
        ...(request.promisedDate ? { promisedDate: request.promisedDate } : {}),
      }
    : undefined;
  const parsed = parseOrderEvent({
    tenantId: last.tenantId,
    source: 'manual',
    sourceEventId: `zendesk-override:${request.requestId}`,
    orderRef: last.orderRef,
    occurredAt: at,
    status: request.status,
    raw: { value: request.status, field: 'zendesk_sidebar_override' },
    ...(overlay ? { overlay } : {}),
    recipients: last.recipients,
    order: last.order,
    override: {
      actor: {
        id: `zendesk:${agent.subdomain}:${agent.agentId}`,
        ...(agent.agentName ? { name: agent.agentName } : {}),
      },
      reason: request.reason,
      notify: request.notify,
    },
  });
  return parsed.ok ? parsed.event : { issues: parsed.error.issues };
};

/** Registers `/zendesk/app/*` on `server`. */
export const registerAppRoutes = (server: FastifyInstance, context: AppContext): void => {
  const authenticate = async (req: FastifyRequest): Promise<ZafClaims> => {
    const auth = await verifyZafToken(
      req.headers.authorization,
      async (subdomain) => {
        const lookup = await loadZendeskCredential(context.store, subdomain);
        return lookup.ok ? lookup.credential.appSecret : undefined;
      },
      context.clock.now().getTime(),
    );
    if (!auth.ok) throw new HttpError(auth.code, auth.message);
    return auth.claims;
  };

  server.get('/zendesk/app/timeline', async (req) => {
    const agent = await authenticate(req);
    const query = req.query as Record<string, unknown>;
    const orderRef = typeof query.order === 'string' ? query.order.trim() : '';
    if (!orderRef) throw new HttpError('invalid_request', 'Name the order: ?order=<order number>.');
    const [entries, state] = await Promise.all([
      orderTimeline(context.store, agent.subdomain, orderRef),
      context.store.getOrderState(agent.subdomain, orderRef),
    ]);
    if (entries.length === 0)
      throw new HttpError('not_found', `Tidings knows no order "${orderRef}".`);
    return {
      orderRef,
      state: state
        ? {
            progress: orderProgress(state.state),
            overlays: state.state.overlays.map((o) => o.kind),
            terminals: state.state.terminals,
            updatedAt: state.updatedAt,
          }
        : null,
      entries,
    };
  });

  server.post('/zendesk/app/override', async (req, reply) => {
    const agent = await authenticate(req);
    const parsed = parseOverrideRequest(req.body);
    if (!parsed.ok) {
      throw new HttpError(
        'invalid_request',
        `The override is not valid: ${parsed.issues.join('; ')}`,
        {
          details: { issues: parsed.issues },
        },
      );
    }
    const events = await context.store.listEventsOfOrders(agent.subdomain, [parsed.value.orderRef]);
    const last = events.at(-1)?.event;
    if (!last)
      throw new HttpError('not_found', `Tidings knows no order "${parsed.value.orderRef}".`);
    const event = overrideEvent(last, parsed.value, agent, context.clock.now().toISOString());
    if ('issues' in event) {
      throw new HttpError('invalid_request', 'The override does not make a valid event.', {
        details: { issues: event.issues },
      });
    }
    const result = await context.ingest({
      event,
      rawBody: req.rawBody ?? JSON.stringify(parsed.value),
      headers: {},
    });
    switch (result.outcome) {
      case 'accepted':
        return reply
          .status(202)
          .send({ outcome: 'accepted', verdict: result.verdict, intents: result.intents });
      case 'duplicate':
      case 'echo':
        return reply.status(200).send({ outcome: result.outcome });
      case 'rejected':
        throw new HttpError(
          result.code === 'unknown_tenant' ? 'not_found' : 'forbidden',
          result.message,
        );
      default:
        return result satisfies never;
    }
  });
};
