import { describe, expect, it } from 'vitest';
import { consentFromKeyword, parseKeyword } from './keywords.ts';

describe('parseKeyword', () => {
  it.each([
    ['STOP', 'en'],
    ['  stop! ', 'en'],
    ['StopAll', 'en'],
    ['UNSUBSCRIBE', 'en'],
    ['cancel', 'en'],
    ['END.', 'en'],
    ['quit', 'en'],
    ['REVOKE', 'en'],
    ['opt-out', 'en'],
    ['OPTOUT', 'en'],
    ['Stop please', 'en'],
    ['ALTO', 'es'],
    ['Parar', 'es'],
    ['baja', 'es'],
    ['darme de baja por favor', 'es'],
    ['fin', 'es'],
    ['ARRET', 'fr'],
    ['Arrêt', 'fr'],
    ['arrête', 'fr'],
    ['DÉSABONNER', 'fr'],
    ['stop svp', 'fr'],
    ['STOPP', 'de'],
    ['Abmelden', 'de'],
    ['abbestellen', 'de'],
    ['bitte abmelden', 'de'],
  ])('reads %j (%s) as STOP', (text, locale) => {
    expect(parseKeyword(text, locale)).toBe('stop');
  });

  it.each([
    ['START', 'en'],
    ['yes', 'en'],
    ['UNSTOP', 'en'],
    ['subscribe', 'en'],
    ['sí', 'es'],
    ['OUI', 'fr'],
    ['ja', 'de'],
    ['Anmelden', 'de'],
  ])('reads %j (%s) as START', (text, locale) => {
    expect(parseKeyword(text, locale)).toBe('start');
  });

  it.each([
    ['HELP', 'en'],
    ['info', 'en'],
    ['AYUDA', 'es'],
    ['aide', 'fr'],
    ['Hilfe!', 'de'],
  ])('reads %j (%s) as HELP', (text, locale) => {
    expect(parseKeyword(text, locale)).toBe('help');
  });

  it.each([
    ['stop texting me', 'en'],
    ['Please unsubscribe me', 'en'],
    ['please unsubscribe', 'en'],
    ['no more messages!!', 'en'],
    ["Don't text me again", 'en'],
    ['take me off your list', 'en'],
    ['no me envíen más mensajes', 'es'],
    ['dejen de escribirme', 'es'],
    ['arrêtez de m’écrire', 'fr'],
    ['ne m’envoyez plus de SMS', 'fr'],
    ['Bitte nicht mehr schreiben', 'de'],
    ['keine Nachrichten mehr', 'de'],
    ['Hören Sie auf!', 'de'],
  ])('reads the revocation %j (%s) as STOP (FCC 24-24: any reasonable means)', (text, locale) => {
    expect(parseKeyword(text, locale)).toBe('stop');
  });

  it.each([
    ["don't stop the delivery", 'en'],
    ['Can you cancel my order and refund me?', 'en'],
    ['when will it stop raining, the parcel is outside', 'en'],
    ['yes please leave it with the neighbour', 'en'],
    ['no pares la entrega por favor', 'es'],
    ["n'arrêtez pas la livraison", 'fr'],
    ['Die Lieferung bitte nicht stoppen', 'de'],
    ['si', 'en'],
    ['oui', 'de'],
    ['', 'en'],
    ['please', 'en'],
    ['the courier did not stop at our building, please add the gate code', 'en'],
  ])('leaves %j (%s) alone: mentioning a word is not asking for it', (text, locale) => {
    expect(parseKeyword(text, locale)).toBeNull();
  });
});

describe('consentFromKeyword', () => {
  const on = {
    tenantId: 't',
    channel: 'sms' as const,
    contact: '+12125550100',
    at: '2026-06-01T00:00:00Z',
  };

  it('turns STOP into an opt-out of everything on that channel', () => {
    expect(consentFromKeyword('stop', on)).toEqual({
      ...on,
      state: 'opted_out',
      scope: 'all',
      source: 'keyword',
    });
  });

  it('turns START into an opt-in and HELP into nothing', () => {
    expect(consentFromKeyword('start', on)?.state).toBe('opted_in');
    expect(consentFromKeyword('help', on)).toBeNull();
  });
});
