/**
 * @module The Zendesk app as the hub mounts it: the trigger target (`POST /zendesk/webhooks`), the
 * sidebar app's backend (`/zendesk/app/*`) and the `zendesk` write-back target.
 */
import type { AppContext } from '@tidings/engine';
import type { FastifyPluginAsync } from 'fastify';
import { registerAppRoutes } from './app-routes.ts';
import { registerWebhookRoute } from './webhook-route.ts';
import { createZendeskWriteBack } from './zendesk-write-back.ts';

export interface ZendeskAppOptions {
  /** For write-back calls to Zendesk; tests pass one that reaches a loopback stub. */
  fetch?: typeof fetch;
  /** How far a webhook's signing timestamp may be from our clock (default 5 minutes). */
  toleranceMs?: number;
}

/** The Fastify plugin for Zendesk, made from the hub's shared context. */
export const createZendeskApp =
  (context: AppContext, options: ZendeskAppOptions = {}): FastifyPluginAsync =>
  async (server) => {
    context.writeBacks.register(
      createZendeskWriteBack({
        store: context.store,
        tenants: context.tenants,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    );
    registerWebhookRoute(
      server,
      context,
      options.toleranceMs === undefined ? {} : { toleranceMs: options.toleranceMs },
    );
    registerAppRoutes(server, context);
  };
