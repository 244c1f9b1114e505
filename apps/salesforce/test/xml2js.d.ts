/** @module The one xml2js function the metadata test uses (xml2js ships no types). */
declare module 'xml2js' {
  export function parseStringPromise(xml: string): Promise<unknown>;
}
