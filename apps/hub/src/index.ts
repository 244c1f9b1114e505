/** @module `@tidings/hub`: build the all-in-one server (also used by the tests and the CLI). */
export * from './build-hub.ts';
export * from './channel-registry.ts';
export * from './dev-inbox.ts';
export * from './hub-config.ts';
export * from './simulate.ts';
