/** @module `@tidings/sources`: NetSuite, SAP S/4HANA, Pipedrive, carriers and the generic events API. */
export * from './carriers/index.ts';
export * from './events-api/index.ts';
export * from './netsuite/index.ts';
export * from './pipedrive/index.ts';
export * from './sap/index.ts';
export * from './sources-app.ts';
