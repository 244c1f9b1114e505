import { postgresPerTest } from './postgres-per-test.ts';
import { runtimeSuite } from './runtime-suite.ts';

runtimeSuite('PostgreSQL', postgresPerTest());
