/** @module The dev sink channel. */
export { createDevSink, type DevSink, type DevSinkConfig, type SunkMessage } from './dev-sink.ts';
