/**
 * @module The template enumeration HubSpot fetches through the definition's `optionsUrl`: the
 * default pack's customer templates and the portal's own, searchable, plus `auto` (the rule's).
 */
import { defaultTemplateKeys, type TenantConfig } from '@tidings/core';
import { AUTO_TEMPLATE } from './execution-request.ts';

export interface TemplateOption {
  label: string;
  value: string;
  description: string;
}

const labelOf = (key: string): string =>
  key
    .split(/[._-]/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');

/** The options for a portal, filtered by HubSpot's search text `q`. */
export const templateOptions = (
  config: TenantConfig | undefined,
  q: string | undefined,
): TemplateOption[] => {
  const own = Object.keys(config?.templates ?? {});
  const keys = [
    ...new Set([...defaultTemplateKeys().filter((k) => !k.startsWith('internal.')), ...own]),
  ];
  const options: TemplateOption[] = [
    { label: 'Automatic (from the rules)', value: AUTO_TEMPLATE, description: 'The rule decides.' },
    ...keys.map((key) => ({
      label: labelOf(key),
      value: key,
      description: own.includes(key) ? 'Your template' : 'Tidings default template',
    })),
  ];
  const needle = q?.trim().toLowerCase();
  return needle
    ? options.filter((o) => o.value.includes(needle) || o.label.toLowerCase().includes(needle))
    : options;
};
