/** @module `@tidings/hubspot`: the HubSpot custom workflow action "Send order status notification". */

export * from './action-definition.ts';
export * from './action-outcome.ts';
export * from './callback-completer.ts';
export * from './execution-request.ts';
export * from './hubspot-api.ts';
export * from './hubspot-app.ts';
export * from './hubspot-config.ts';
export * from './oauth-state.ts';
export * from './portal-tokens.ts';
export * from './register-action.ts';
export * from './request-signature.ts';
export * from './template-options.ts';
