/**
 * @module `npm run register-action -w @tidings/hubspot`: registers or updates the workflow action
 * for `HUBSPOT_APP_ID` with the developer API key, pointing it at `TIDINGS_PUBLIC_URL`. With
 * `--hsmeta` it prints the developer-projects file instead.
 */
import { buildActionDefinition, toProjectWorkflowAction } from '../action-definition.ts';
import { registerActionDefinition } from '../register-action.ts';

const env = process.env;
const publicUrl = env.TIDINGS_PUBLIC_URL;
if (!publicUrl?.startsWith('https://')) {
  console.error('TIDINGS_PUBLIC_URL must be the https URL HubSpot reaches this hub at.');
  process.exit(1);
}
const definition = buildActionDefinition({
  publicUrl,
  published: env.HUBSPOT_ACTION_PUBLISHED === 'true',
});
if (process.argv.includes('--hsmeta')) {
  console.log(JSON.stringify(toProjectWorkflowAction(definition), null, 2));
  process.exit(0);
}
const appId = Number(env.HUBSPOT_APP_ID);
const developerApiKey = env.HUBSPOT_DEVELOPER_API_KEY ?? '';
if (!Number.isSafeInteger(appId) || appId <= 0 || developerApiKey === '') {
  console.error('Set HUBSPOT_APP_ID and HUBSPOT_DEVELOPER_API_KEY.');
  process.exit(1);
}
const result = await registerActionDefinition({
  appId,
  developerApiKey,
  definition,
  ...(env.HUBSPOT_API_BASE_URL ? { basePath: env.HUBSPOT_API_BASE_URL } : {}),
});
if (!result.ok) {
  console.error(`Registration failed: ${result.error.code} (${result.error.message})`);
  process.exit(1);
}
console.log(`Action definition ${result.definitionId}: ${result.outcome}.`);
