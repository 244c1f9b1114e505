/** @module The planner: `plan` and `explain`. */
export * from './explain.ts';
export * from './intent.ts';
export * from './plan.ts';
export * from './stable-id.ts';
