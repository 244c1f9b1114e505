/** @module The one call this package makes into swagger2openapi, which ships no types. */
declare module 'swagger2openapi' {
  interface ConvertResult {
    openapi: unknown;
  }
  interface ConvertOptions {
    patch?: boolean;
    warnOnly?: boolean;
  }
  export function convertObj(spec: unknown, options: ConvertOptions): Promise<ConvertResult>;
}
