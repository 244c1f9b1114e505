/**
 * @module A write-back target for tests: records every job it is given and answers from a script
 * (by default: written, with one fingerprint derived from the job id).
 */
import type { WriteBackJob } from '@tidings/store';
import type { WriteBackResult, WriteBackTarget } from '../src/write-back.ts';

export interface RecordingTarget extends WriteBackTarget {
  written: WriteBackJob[];
}

export const fingerprintOf = (target: string, job: WriteBackJob): string =>
  `${target}-note-${job.id}`;

export const createRecordingTarget = (
  target: string,
  options: {
    tenants?: readonly string[];
    script?: (job: WriteBackJob, call: number) => WriteBackResult;
  } = {},
): RecordingTarget => {
  const written: WriteBackJob[] = [];
  return {
    target,
    written,
    appliesTo: async (tenantId) => options.tenants?.includes(tenantId) ?? true,
    async write(job) {
      written.push(job);
      return (
        options.script?.(job, written.length) ?? {
          ok: true,
          fingerprints: [fingerprintOf(target, job)],
        }
      );
    },
  };
};
