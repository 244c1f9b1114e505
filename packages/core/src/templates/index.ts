/** @module Templates: the sandboxed Liquid renderer, its context builder and the default pack. */
export { countSmsSegments } from '../sms/index.ts';
export {
  SANDBOX_LIMITS,
  TEMPLATE_ERROR_CODES,
  type TemplateError,
  type TemplateErrorCode,
} from './liquid-sandbox.ts';
export {
  DEFAULT_TEMPLATE_PACK,
  defaultTemplateChannels,
  defaultTemplateKeys,
  defaultTemplateParts,
  INTERNAL_TEMPLATE_CHANNELS,
  type TemplatePack,
  type TemplateParts,
} from './pack/default-pack.ts';
export { INTERNAL_TEMPLATE_NAMES, type InternalTemplateName } from './pack/pack-types.ts';
export { DEFAULT_LOCALE, localeChain, type RenderResult, renderTemplate } from './render.ts';
export {
  buildTemplateContext,
  type TemplateContext,
  type TemplateContextOptions,
} from './template-context.ts';
export * from './template-types.ts';
