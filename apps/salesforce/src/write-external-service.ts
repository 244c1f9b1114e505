/** @module `npm run external-service`: rewrites the OpenAPI file and its registration metadata. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  externalServiceRegistrationXml,
  OPENAPI_PATH,
  REGISTRATION_PATH,
  salesforceOpenApi,
} from './external-service.ts';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, OPENAPI_PATH), `${JSON.stringify(salesforceOpenApi, null, 2)}\n`);
writeFileSync(join(root, REGISTRATION_PATH), externalServiceRegistrationXml());
