/** @module Types for `@php-wasm/node-7-4`, which ships its loader without declarations. */
declare module '@php-wasm/node-7-4' {
  import type { PHPLoaderModule } from '@php-wasm/universal';
  export function getPHPLoaderModule(): Promise<PHPLoaderModule>;
}
