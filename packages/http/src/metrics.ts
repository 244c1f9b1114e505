/**
 * @module Prometheus metrics for one server: ingest, dispatch, receipts, suppressions by reason
 * and provider latency. Each server gets its own registry, so tests and several servers in one
 * process never collide.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  ingest: Counter<'source' | 'outcome'>;
  dispatch: Counter<'channel' | 'provider' | 'outcome'>;
  receipts: Counter<'provider' | 'state'>;
  suppressions: Counter<'reason'>;
  providerLatency: Histogram<'provider'>;
  httpRequests: Counter<'route' | 'method' | 'status'>;
}

/** Creates the metric set on a fresh registry, with process metrics included. */
export const createMetrics = (): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tidings_' });
  const registers = [registry];
  return {
    registry,
    ingest: new Counter({
      name: 'tidings_ingest_total',
      help: 'Events received, by source and outcome (accepted, duplicate, rejected code).',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    dispatch: new Counter({
      name: 'tidings_dispatch_total',
      help: 'Delivery attempts, by channel, provider and outcome.',
      labelNames: ['channel', 'provider', 'outcome'],
      registers,
    }),
    receipts: new Counter({
      name: 'tidings_receipts_total',
      help: 'Provider receipts applied, by provider and delivery state.',
      labelNames: ['provider', 'state'],
      registers,
    }),
    suppressions: new Counter({
      name: 'tidings_suppressions_total',
      help: 'Messages not sent, by reason code.',
      labelNames: ['reason'],
      registers,
    }),
    providerLatency: new Histogram({
      name: 'tidings_provider_latency_seconds',
      help: 'Provider call latency.',
      labelNames: ['provider'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    httpRequests: new Counter({
      name: 'tidings_http_requests_total',
      help: 'HTTP requests, by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
  };
};
