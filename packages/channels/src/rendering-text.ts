/** @module The plain-text form of any rendering, for providers that take one string. */
import type { Rendering } from './core-contract.ts';

/** Returns the text a person would read; cards without text give their JSON's title-less fallback. */
export const renderingText = (rendering: Rendering): string => {
  switch (rendering.channel) {
    case 'sms':
    case 'whatsapp':
    case 'slack':
    case 'google_chat':
    case 'email':
      return rendering.text;
    case 'push':
      return `${rendering.title}\n${rendering.body}`;
    case 'teams':
      return typeof rendering.card.fallbackText === 'string' ? rendering.card.fallbackText : '';
    default:
      return rendering satisfies never;
  }
};
