/**
 * @module The write-back worker: claims queued write-backs with a lease (like the dispatcher does
 * intents), calls the target's `write`, keeps the fingerprints it returns so `ingest` recognises
 * the echo, and retries with backoff or parks a job that keeps failing.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@tidings/core';
import type { Store, StoredWriteBack } from '@tidings/store';
import type { EngineLogger } from './engine-context.ts';
import { createPollingLoop } from './polling-loop.ts';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';
import type { WriteBackRegistry, WriteBackResult } from './write-back.ts';

export interface WriteBackWorkerOptions {
  store: Store;
  clock: Clock;
  writeBacks: WriteBackRegistry;
  logger: EngineLogger;
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  retry?: RetryPolicy;
  /** How long a written fingerprint marks an incoming webhook as our echo (default 24 h). */
  fingerprintTtlMs?: number;
  /** Wait between empty polls. */
  idleMs?: number;
  random?: () => number;
}

export type WriteBackOutcome = 'done' | 'retry' | 'parked' | 'lease_lost';

/** Creates a write-back worker; `runOnce` handles one batch, `start`/`stop` run it in the background. */
export const createWriteBackWorker = (options: WriteBackWorkerOptions) => {
  const { store, clock, writeBacks, logger } = options;
  const workerId = options.workerId ?? `write-back-${randomUUID()}`;
  const batchSize = options.batchSize ?? 32;
  const leaseMs = options.leaseMs ?? 60_000;
  const retry = options.retry ?? DEFAULT_RETRY;
  const ttlMs = options.fingerprintTtlMs ?? 24 * 3_600_000;
  const random = options.random ?? Math.random;
  const iso = () => clock.now().toISOString();

  const retryLater = async (
    item: StoredWriteBack,
    error: string,
    retryAfterMs?: number,
  ): Promise<WriteBackOutcome> => {
    if (item.attempts >= retry.maxAttempts) {
      const parked = await store.parkWriteBack(
        item.job.id,
        workerId,
        `gave up after ${item.attempts} attempts: ${error}`,
        iso(),
      );
      return parked.ok ? 'parked' : 'lease_lost';
    }
    const wait = backoffMs(item.attempts, retry, retryAfterMs, random);
    const at = new Date(clock.now().getTime() + wait).toISOString();
    const r = await store.rescheduleWriteBack(item.job.id, workerId, at, error, iso());
    return r.ok ? 'retry' : 'lease_lost';
  };

  const process = async (item: StoredWriteBack): Promise<WriteBackOutcome> => {
    const { job } = item;
    const target = writeBacks.targets().find((t) => t.target === job.target);
    // A target not (yet) mounted in this process: retry, so a rolling deploy loses nothing.
    if (!target) return retryLater(item, `no write-back target "${job.target}" registered`);
    const result = await target.write(job, { store, clock }).catch(
      (err: unknown): WriteBackResult => ({
        ok: false,
        error: {
          code: 'target_threw',
          class: 'retryable',
          message: String((err as Error)?.message ?? err),
        },
      }),
    );
    if (result.ok) {
      const expiresAt = new Date(clock.now().getTime() + ttlMs).toISOString();
      const done = await store.completeWriteBack(
        job.id,
        workerId,
        { values: result.fingerprints, expiresAt },
        iso(),
      );
      return done.ok ? 'done' : 'lease_lost';
    }
    const error = `${job.target} ${result.error.code}`;
    if (result.error.class === 'retryable') {
      return retryLater(item, error, result.error.retryAfterMs);
    }
    // Permanent (and the consent/window classes, which mean nothing to a platform write).
    const parked = await store.parkWriteBack(job.id, workerId, error, iso());
    return parked.ok ? 'parked' : 'lease_lost';
  };

  const runOnce = async (): Promise<{
    claimed: number;
    outcomes: Record<WriteBackOutcome, number>;
  }> => {
    const claimed = await store.claimWriteBacks(iso(), batchSize, leaseMs, workerId);
    const outcomes: Record<WriteBackOutcome, number> = {
      done: 0,
      retry: 0,
      parked: 0,
      lease_lost: 0,
    };
    for (const item of claimed) {
      try {
        outcomes[await process(item)] += 1;
      } catch (err) {
        logger.error(
          { writeBackId: item.job.id, err: (err as Error).message },
          'write-back failed',
        );
        try {
          outcomes[await retryLater(item, `internal: ${(err as Error).message}`)] += 1;
        } catch {
          outcomes.lease_lost += 1;
        }
      }
    }
    return { claimed: claimed.length, outcomes };
  };

  return {
    workerId,
    runOnce,
    ...createPollingLoop(runOnce, { idleMs: options.idleMs ?? 500, logger, name: 'write-back' }),
  };
};

export type WriteBackWorker = ReturnType<typeof createWriteBackWorker>;
