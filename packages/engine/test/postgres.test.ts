import { engineSuite } from './engine-suite.ts';
import { postgresPerTest } from './postgres-per-test.ts';

engineSuite('PostgreSQL', postgresPerTest());
