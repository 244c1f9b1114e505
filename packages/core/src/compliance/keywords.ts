/**
 * @module Inbound STOP / START / HELP in English, Spanish, French and German, plus the short
 * natural-language revocations the FCC's 2024 revocation order (FCC 24-24, in force 11 April
 * 2025) says must be honoured, and the consent record each reply produces.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { ConsentRecord } from './compliance-types.ts';

export const KEYWORD_KINDS = ['stop', 'start', 'help'] as const;
export type KeywordKind = (typeof KEYWORD_KINDS)[number];

/** Whole-message keywords, any locale (people text STOP whatever their language). */
const KEYWORDS: Readonly<Record<KeywordKind, readonly string[]>> = {
  stop: [
    // en: the FCC's per-se words (stop, quit, end, revoke, opt out, cancel, unsubscribe) and CTIA's.
    'stop',
    'stopall',
    'stop all',
    'unsubscribe',
    'cancel',
    'end',
    'quit',
    'revoke',
    'optout',
    'opt out',
    // es
    'alto',
    'parar',
    'para',
    'baja',
    'dar de baja',
    'darme de baja',
    'cancelar',
    'detener',
    'basta',
    // fr
    'arret',
    'arrete',
    'arretez',
    'arretes',
    'arreter',
    'desabonner',
    'desabonnement',
    'desinscrire',
    'desinscription',
    // de
    'stopp',
    'abmelden',
    'abbestellen',
    'beenden',
    'austragen',
  ],
  start: [
    'start',
    'yes',
    'unstop',
    'subscribe',
    'resume',
    'comenzar',
    'iniciar',
    'alta',
    'suscribir',
    'reanudar',
    'commencer',
    'abonner',
    'reprendre',
    'demarrer',
    'starten',
    'anmelden',
  ],
  help: ['help', 'info', 'infos', 'ayuda', 'informacion', 'aide', 'hilfe'],
};

/** Words that are keywords only when we know the language (elsewhere they are just words). */
const LOCALE_KEYWORDS: Readonly<Record<string, Partial<Record<KeywordKind, readonly string[]>>>> = {
  es: { stop: ['fin'], start: ['si'] },
  fr: { stop: ['fin'], start: ['oui'] },
  de: { stop: ['ende'], start: ['ja'] },
};

/** Courtesy around a keyword ("STOP please", "bitte abmelden", "arrêt svp"). */
const COURTESY_WORDS =
  'please|pls|plz|now|thanks|thank you|thx|ok|por favor|gracias|ya|svp|stp|s il vous plait|' +
  's il te plait|merci|bitte|danke|sofort|jetzt';
const COURTESY = new RegExp(`^(?:(?:${COURTESY_WORDS})\\s+)+|(?:\\s+(?:${COURTESY_WORDS}))+$`, 'g');

/**
 * Short revocations in other words. Each names the messages or the sender as the thing to stop,
 * which is what tells "stop texting me" from "don't stop the delivery".
 */
const REVOCATION_PHRASES: readonly RegExp[] = [
  // en
  /\b(?:stop|quit|cease) (?:texting|messaging|sending|contacting|emailing|spamming|calling)\b/,
  /^stop (?:it|this|these|them|that|the texts|the messages|all messages)$/,
  /\b(?:unsubscribe|opt) (?:me|us)\b/,
  /\bplease unsubscribe\b/,
  /\b(?:take|remove) me (?:off|from)\b/,
  /^remove me$/,
  /\bno more (?:texts|messages|msgs|sms|notifications|emails|alerts)\b/,
  /\b(?:don t|dont|do not) (?:text|message|contact|email|sms) (?:me|us)\b/,
  /\b(?:don t|dont|do not) (?:send|want) (?:me )?(?:any )?(?:more )?(?:texts|messages|sms|these)\b/,
  /\bleave me alone\b/,
  // es
  /\bno (?:me )?(?:envie|envies|envien|mande|mandes|manden|escriba|escribas|escriban) mas\b/,
  /\b(?:dejen|deja|deje|dejar) de (?:enviar|mandar|escribir)/,
  /\b(?:darme|dar|deme|denme) de baja\b/,
  /\bno (?:quiero|deseo) (?:recibir )?mas\b/,
  /\bno mas (?:mensajes|sms|notificaciones)\b/,
  // fr
  /\barrete[sz]? de (?:m |me |nous )?(?:ecrire|envoyer|contacter|spammer)\b/,
  /\bne (?:m |me |nous )?(?:envoyez|envoie|ecrivez|ecris|contactez) plus\b/,
  /\bplus de (?:messages|sms|notifications)\b/,
  /\bdesinscri(?:vez|s) moi\b/,
  /\bje (?:veux|souhaite) (?:me )?(?:desinscrire|desabonner)\b/,
  // de
  /\bnicht mehr (?:schreiben|anschreiben|kontaktieren|senden|simsen|benachrichtigen)\b/,
  /\bschreib(?:en sie|t)? mir nicht mehr\b/,
  /\bkeine (?:nachrichten|sms|mails|e mails|werbung|benachrichtigungen) mehr\b/,
  /\bhor(?:en sie|t|e)? (?:bitte )?auf\b/,
  /\bmelde(?:n sie|t)? mich ab\b/,
];

/** Longer messages go to a person: a sentence may mention stopping without asking for it. */
const MAX_PHRASE_WORDS = 12;

const normalize = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’`´]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const language = (locale: string | undefined): string | undefined =>
  locale?.toLowerCase().split(/[-_]/)[0];

/**
 * Classifies an inbound reply as a STOP, START or HELP request, or null for anything else. Case,
 * accents, surrounding punctuation and courtesy words are ignored; see the core README (Compliance) for the
 * revocation-phrase heuristic.
 */
export const parseKeyword = (text: string, locale?: string): KeywordKind | null => {
  const normalized = normalize(text);
  const bare = normalized.replace(COURTESY, '').trim();
  if (bare === '') return null;
  const extra = LOCALE_KEYWORDS[language(locale) ?? ''] ?? {};
  for (const kind of KEYWORD_KINDS) {
    if (KEYWORDS[kind].includes(bare) || extra[kind]?.includes(bare)) return kind;
  }
  const words = normalized.split(' ').length;
  if (words <= MAX_PHRASE_WORDS && REVOCATION_PHRASES.some((p) => p.test(normalized))) {
    return 'stop';
  }
  return null;
};

/**
 * The consent record an inbound keyword produces: STOP opts the contact out of everything on
 * that channel, START opts it back in; HELP changes nothing (null).
 */
export const consentFromKeyword = (
  keyword: KeywordKind,
  on: { tenantId: string; channel: ChannelKind; contact: string; at: string },
): ConsentRecord | null => {
  switch (keyword) {
    case 'stop':
      return { ...on, state: 'opted_out', scope: 'all', source: 'keyword' };
    case 'start':
      return { ...on, state: 'opted_in', scope: 'all', source: 'keyword' };
    case 'help':
      return null;
    default:
      return keyword satisfies never;
  }
};
