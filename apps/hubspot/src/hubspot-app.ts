/**
 * @module The HubSpot app as a Fastify plugin made from the hub's `AppContext`: the workflow
 * action endpoint (`POST /hubspot/actions/notify`), the template options URL
 * (`POST /hubspot/options/templates`), the OAuth install (`GET /hubspot/oauth/install`,
 * `GET /hubspot/oauth/callback`), and the completer that finishes blocked executions through
 * HubSpot's callbacks API.
 */
import { Client } from '@hubspot/api-client';
import { parseOrderEvent } from '@tidings/core';
import type { AppContext } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ActionOutcome,
  type ExecutionRef,
  evaluateOutcome,
  type OutcomeReport,
  outputFieldsOf,
} from './action-outcome.ts';
import {
  type CallbackCompleter,
  createCallbackCompleter,
  type PendingCallback,
} from './callback-completer.ts';
import {
  type ExecutionRequest,
  orderRefOf,
  parseExecutionRequest,
  tenantOf,
  toOrderEvent,
} from './execution-request.ts';
import { createHubspotApi, type HubspotApi } from './hubspot-api.ts';
import { type HubspotConfig, readHubspotConfig } from './hubspot-config.ts';
import { checkState, cookieValue, issueState, STATE_COOKIE, STATE_TTL_MS } from './oauth-state.ts';
import { createPortalTokens, type PortalTokens } from './portal-tokens.ts';
import { verifyHubspotRequest } from './request-signature.ts';
import { templateOptions } from './template-options.ts';

/** Execution requests are small; anything larger is refused before it is read in full. */
export const ACTION_BODY_LIMIT = 64 * 1024;

export const HUBSPOT_ROUTES = {
  action: '/hubspot/actions/notify',
  templateOptions: '/hubspot/options/templates',
  install: '/hubspot/oauth/install',
  callback: '/hubspot/oauth/callback',
} as const;

/** What tests and the hub may reach after mounting (the completer, to drive it by hand). */
export interface HubspotAppHandle {
  config: HubspotConfig;
  api: HubspotApi;
  tokens: PortalTokens;
  completer: CallbackCompleter;
}

export interface HubspotAppOptions {
  /** Called once mounted; tests use it to drive the completer. */
  onReady?: (handle: HubspotAppHandle) => void;
  /** Start the completer's polling loop (default true). */
  startCompleter?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The full URL HubSpot called: the hub's public origin and the path and query as received. */
const calledUri = (context: AppContext, req: FastifyRequest): string =>
  `${context.publicUrl.replace(/\/+$/, '')}${req.raw.url ?? req.url}`;

const failed = (reason: string): OutcomeReport => ({ outcome: 'failed', reason, final: true });

const registerUnconfigured = (server: FastifyInstance, problems: string[]) => {
  const answer = async () => {
    throw new HttpError('not_configured', 'The HubSpot app is not configured on this hub.', {
      status: 503,
      details: { problems },
    });
  };
  server.post(HUBSPOT_ROUTES.action, answer);
  server.post(HUBSPOT_ROUTES.templateOptions, answer);
  server.get(HUBSPOT_ROUTES.install, answer);
  server.get(HUBSPOT_ROUTES.callback, answer);
};

/** Makes the plugin with options (tests); `createHubspotApp` is this with the defaults. */
export const makeHubspotApp =
  (options: HubspotAppOptions = {}) =>
  (context: AppContext): FastifyPluginAsync =>
  async (server) => {
    const read = readHubspotConfig(context.env);
    if (!read.ok) {
      context.logger.warn(
        { problems: read.problems },
        'hubspot app not configured; routes answer 503',
      );
      registerUnconfigured(server, read.problems);
      return;
    }
    const config = read.config;
    const { store, clock, logger } = context;
    const api = createHubspotApi({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      basePath: config.apiBaseUrl,
      now: () => clock.now().getTime(),
    });
    const tokens = createPortalTokens({ store, clock, api });
    const completer = createCallbackCompleter({
      store,
      clock,
      api,
      tokens,
      logger,
      pollMs: config.callbackPollMs,
      timelineNotes: config.timelineNotes,
    });
    await completer.hydrate();
    if (options.startCompleter !== false) completer.start();
    server.addHook('onClose', async () => completer.stop());
    options.onReady?.({ config, api, tokens, completer });

    const verify = (req: FastifyRequest) => {
      const check = verifyHubspotRequest(
        {
          method: req.method,
          uri: calledUri(context, req),
          rawBody: req.rawBody ?? Buffer.alloc(0),
          headers: req.headers,
        },
        {
          clientSecret: config.clientSecret,
          now: clock.now().getTime(),
          allowV2: config.allowSignatureV2,
        },
      );
      if (!check.ok) throw new HttpError(check.error.code, check.error.message);
    };

    let inFlight = 0;

    /** Waits (within HubSpot's timeout) for a due message to leave; a later one is BLOCKed. */
    const settleSoon = async (ref: ExecutionRef): Promise<OutcomeReport> => {
      // Wall time, not the injected clock: this bounds how long HubSpot waits for our answer.
      const deadline = Date.now() + config.syncWaitMs;
      let report = await evaluateOutcome(store, ref, clock.now());
      while (!report.final && report.reason === 'sending' && Date.now() < deadline) {
        await sleep(50);
        report = await evaluateOutcome(store, ref, clock.now());
      }
      return report;
    };

    const execute = async (
      request: ExecutionRequest,
      req: FastifyRequest,
    ): Promise<OutcomeReport> => {
      const tenantId = tenantOf(request);
      const lookup = await context.tenants.get(tenantId);
      if (!lookup.ok)
        return failed(lookup.code === 'unknown_tenant' ? 'portal_not_installed' : lookup.code);
      const stamp = Number(req.headers['x-hubspot-request-timestamp']);
      const occurredAt = (
        Number.isFinite(stamp) && stamp > 0 ? new Date(stamp) : clock.now()
      ).toISOString();
      const mapped = toOrderEvent(request, {
        occurredAt,
        mappings: lookup.config.statusMappings,
      });
      if (!mapped.ok) return failed(mapped.error.code);
      const parsed = parseOrderEvent(mapped.event);
      if (!parsed.ok) return failed('invalid_input');
      const result = await context.ingest({
        event: parsed.event,
        rawBody: req.rawBody ?? '',
        headers: {
          'x-hubspot-request-timestamp': String(req.headers['x-hubspot-request-timestamp'] ?? ''),
        },
      });
      if (result.outcome === 'rejected')
        return failed(result.code === 'unknown_tenant' ? 'portal_not_installed' : result.code);
      if (result.outcome === 'echo') return { outcome: 'suppressed', reason: 'echo', final: true };
      return settleSoon({
        tenantId,
        orderRef: parsed.event.orderRef,
        callbackId: request.callbackId,
      });
    };

    server.post(HUBSPOT_ROUTES.action, { bodyLimit: ACTION_BODY_LIMIT }, async (req, reply) => {
      if (inFlight >= config.maxInFlight) {
        throw new HttpError('rate_limited', 'Too many executions in progress; retry shortly.', {
          headers: { 'retry-after': '5' },
        });
      }
      inFlight += 1;
      try {
        verify(req);
        const parsed = parseExecutionRequest(req.body);
        if (!parsed.ok) throw new HttpError('malformed_body', parsed.error.message);
        const { request } = parsed;
        const report = await execute(request, req);
        const now = clock.now();
        const pending: PendingCallback = {
          tenantId: tenantOf(request),
          orderRef: orderRefOf(request),
          callbackId: request.callbackId,
          objectType: request.object.objectType,
          objectId: request.object.objectId,
          expiresAt: new Date(now.getTime() + 30 * 24 * 3_600_000).toISOString(),
        };
        if (!report.final) await completer.track(pending);
        else if (report.outcome === 'sent') completer.noteSoon(pending, report);
        req.log.info(
          {
            tenantId: pending.tenantId,
            outcome: report.outcome satisfies ActionOutcome,
            reason: report.reason,
          },
          'hubspot execution answered',
        );
        return reply.send({ outputFields: outputFieldsOf(report, now) });
      } finally {
        inFlight -= 1;
      }
    });

    server.post(HUBSPOT_ROUTES.templateOptions, { bodyLimit: ACTION_BODY_LIMIT }, async (req) => {
      verify(req);
      const body = (req.body ?? {}) as {
        origin?: { portalId?: unknown };
        fetchOptions?: { q?: unknown };
      };
      const portalId = body.origin?.portalId;
      if (typeof portalId !== 'number')
        throw new HttpError('malformed_body', 'origin.portalId is required.');
      const lookup = await context.tenants.get(String(portalId));
      const q = typeof body.fetchOptions?.q === 'string' ? body.fetchOptions.q : undefined;
      return {
        options: templateOptions(lookup.ok ? lookup.config : undefined, q),
        searchable: true,
      };
    });

    const redirectUri = `${context.publicUrl.replace(/\/+$/, '')}${HUBSPOT_ROUTES.callback}`;
    const secureCookie = context.publicUrl.startsWith('https:');

    server.get(HUBSPOT_ROUTES.install, async (_req, reply: FastifyReply) => {
      const { state, nonce } = issueState(config.clientSecret, clock.now().getTime());
      const sdkUrl = new Client().oauth.getAuthorizationUrl(
        config.clientId,
        redirectUri,
        config.scopes,
        config.optionalScopes,
        state,
      );
      // The SDK builds the query; the host is ours to configure (e.g. a stub in tests).
      const url = `${config.authorizeUrl}${sdkUrl.slice(sdkUrl.indexOf('?'))}`;
      reply.header(
        'set-cookie',
        `${STATE_COOKIE}=${nonce}; Max-Age=${STATE_TTL_MS / 1000}; Path=/hubspot/oauth; HttpOnly; SameSite=Lax${secureCookie ? '; Secure' : ''}`,
      );
      return reply.redirect(url, 302);
    });

    server.get(HUBSPOT_ROUTES.callback, async (req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      if (query.error)
        throw new HttpError('oauth_denied', 'The install was cancelled in HubSpot.', {
          status: 400,
        });
      const state = checkState(
        config.clientSecret,
        query.state,
        cookieValue(req.headers.cookie, STATE_COOKIE),
        clock.now().getTime(),
      );
      if (!state.ok)
        throw new HttpError(state.code, 'The install link is invalid or expired; start again.', {
          status: 400,
        });
      if (!query.code)
        throw new HttpError('malformed_body', 'The callback has no code.', { status: 400 });
      const exchanged = await api.exchangeCode(query.code, redirectUri);
      if (!exchanged.ok)
        throw new HttpError('oauth_failed', 'HubSpot did not issue tokens; start again.', {
          status: 502,
        });
      const info = await api.tokenInfo(exchanged.tokens.accessToken);
      if (!info.ok)
        throw new HttpError('oauth_failed', 'HubSpot did not describe the token; start again.', {
          status: 502,
        });
      const tenantId = String(info.hubId);
      const at = clock.now().toISOString();
      if (!(await store.getTenant(tenantId))) {
        const name = `HubSpot portal ${tenantId}`;
        await store.putTenant({ id: tenantId, name, active: true, config: { tenantId, name } }, at);
      }
      await tokens.save(tenantId, {
        ...exchanged.tokens,
        hubId: info.hubId,
        scopes: info.scopes,
        installedAt: at,
      });
      context.tenants.forget(tenantId);
      logger.info({ tenantId }, 'hubspot portal installed');
      reply.header(
        'set-cookie',
        `${STATE_COOKIE}=; Max-Age=0; Path=/hubspot/oauth; HttpOnly; SameSite=Lax`,
      );
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><meta charset="utf-8"><title>Tidings installed</title><p>Tidings is installed in HubSpot portal ${tenantId}. Add the “Send order status notification” action to a workflow.</p>`,
        );
    });
  };

/** The HubSpot app with its defaults: `await server.register(createHubspotApp(context))`. */
export const createHubspotApp = (context: AppContext): FastifyPluginAsync =>
  makeHubspotApp()(context);
