/** @module SAP S/4HANA business events over CloudEvents, with OData read-back. */
export * from './cloud-event.ts';
export * from './sap-credential.ts';
export * from './sap-events.ts';
export * from './sap-inbound-auth.ts';
export * from './sap-odata.ts';
export * from './sap-route.ts';
