/**
 * @module The words filters and card builders need in each default language: status and reason
 * labels, the split-shipment phrases, fact labels. Other languages fall back to English here.
 */
import type { CanonicalStatus, OverlayReason } from '../statuses.ts';
import type { TemplateLocale } from './template-types.ts';

export interface LanguageLabels {
  /** Object of "we've shipped …": the whole order, a part of it, or its last part. */
  itemsPhrase: { whole: string; some: string; last: string };
  /** "and 2 more items", given the count. */
  moreItems: (count: number) => string;
  and: string;
  trackingNumber: string;
  statuses: Record<CanonicalStatus, string>;
  reasons: Record<OverlayReason, string>;
  facts: {
    order: string;
    status: string;
    reason: string;
    carrier: string;
    tracking: string;
    promisedDate: string;
    track: string;
    cancel: string;
    customer: string;
  };
}

const en: LanguageLabels = {
  itemsPhrase: {
    whole: 'your order',
    some: 'some items from your order',
    last: 'the last items of your order',
  },
  moreItems: (n) => (n === 1 ? '1 more item' : `${n} more items`),
  and: 'and',
  trackingNumber: 'tracking number',
  statuses: {
    created: 'Order placed',
    processing: 'Processing',
    dispatched: 'Dispatched',
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    completed: 'Completed',
    on_hold: 'On hold',
    delayed: 'Delayed',
    exception: 'Delivery problem',
    split_shipment: 'Split shipment',
    cancelled: 'Cancelled',
    refunded: 'Refunded',
    returned: 'Returned',
  },
  reasons: {
    payment: 'payment',
    fraud: 'fraud review',
    inventory: 'stock',
    regulatory: 'regulatory review',
    address: 'address',
    manual: 'held by staff',
    carrier: 'carrier delay',
    customs: 'customs',
    weather: 'weather',
    processing: 'processing',
    promised_date_passed: 'promised date passed',
    no_carrier_scan: 'no carrier scan',
    other: 'other',
    failed_attempt: 'failed delivery attempt',
    damaged: 'damaged',
    lost: 'lost',
    refused: 'refused',
    returned_to_sender: 'returned to sender',
    pickup_missed: 'pickup missed',
    held_by_carrier: 'held by carrier',
    no_tracking_updates: 'no tracking updates',
    fulfillment_failed: 'fulfilment failed',
    partial_fulfillment: 'partial fulfilment',
    multiple_shipments: 'multiple shipments',
  },
  facts: {
    order: 'Order',
    status: 'Status',
    reason: 'Reason',
    carrier: 'Carrier',
    tracking: 'Tracking',
    promisedDate: 'Promised date',
    track: 'Track',
    cancel: 'Cancel order',
    customer: 'Customer',
  },
};

const es: LanguageLabels = {
  itemsPhrase: {
    whole: 'tu pedido',
    some: 'algunos artículos de tu pedido',
    last: 'los últimos artículos de tu pedido',
  },
  moreItems: (n) => (n === 1 ? '1 artículo más' : `${n} artículos más`),
  and: 'y',
  trackingNumber: 'número de seguimiento',
  statuses: {
    created: 'Pedido realizado',
    processing: 'En preparación',
    dispatched: 'Enviado',
    in_transit: 'En tránsito',
    out_for_delivery: 'En reparto',
    delivered: 'Entregado',
    completed: 'Completado',
    on_hold: 'En espera',
    delayed: 'Retrasado',
    exception: 'Incidencia de entrega',
    split_shipment: 'Envío dividido',
    cancelled: 'Cancelado',
    refunded: 'Reembolsado',
    returned: 'Devuelto',
  },
  reasons: {
    payment: 'pago',
    fraud: 'revisión antifraude',
    inventory: 'existencias',
    regulatory: 'revisión normativa',
    address: 'dirección',
    manual: 'retenido por el equipo',
    carrier: 'retraso del transportista',
    customs: 'aduanas',
    weather: 'meteorología',
    processing: 'preparación',
    promised_date_passed: 'fecha prometida superada',
    no_carrier_scan: 'sin escaneo del transportista',
    other: 'otro',
    failed_attempt: 'intento de entrega fallido',
    damaged: 'dañado',
    lost: 'perdido',
    refused: 'rechazado',
    returned_to_sender: 'devuelto al remitente',
    pickup_missed: 'recogida no realizada',
    held_by_carrier: 'retenido por el transportista',
    no_tracking_updates: 'sin actualizaciones de seguimiento',
    fulfillment_failed: 'preparación fallida',
    partial_fulfillment: 'envío parcial',
    multiple_shipments: 'varios envíos',
  },
  facts: {
    order: 'Pedido',
    status: 'Estado',
    reason: 'Motivo',
    carrier: 'Transportista',
    tracking: 'Seguimiento',
    promisedDate: 'Fecha prometida',
    track: 'Seguir',
    cancel: 'Cancelar pedido',
    customer: 'Cliente',
  },
};

const fr: LanguageLabels = {
  itemsPhrase: {
    whole: 'votre commande',
    some: 'certains articles de votre commande',
    last: 'les derniers articles de votre commande',
  },
  moreItems: (n) => (n === 1 ? '1 autre article' : `${n} autres articles`),
  and: 'et',
  trackingNumber: 'numéro de suivi',
  statuses: {
    created: 'Commande passée',
    processing: 'En préparation',
    dispatched: 'Expédiée',
    in_transit: 'En transit',
    out_for_delivery: 'En cours de livraison',
    delivered: 'Livrée',
    completed: 'Terminée',
    on_hold: 'En attente',
    delayed: 'Retardée',
    exception: 'Incident de livraison',
    split_shipment: 'Envoi fractionné',
    cancelled: 'Annulée',
    refunded: 'Remboursée',
    returned: 'Retournée',
  },
  reasons: {
    payment: 'paiement',
    fraud: 'contrôle anti-fraude',
    inventory: 'stock',
    regulatory: 'contrôle réglementaire',
    address: 'adresse',
    manual: 'bloquée par l’équipe',
    carrier: 'retard du transporteur',
    customs: 'douane',
    weather: 'météo',
    processing: 'préparation',
    promised_date_passed: 'date promise dépassée',
    no_carrier_scan: 'aucun scan du transporteur',
    other: 'autre',
    failed_attempt: 'tentative de livraison échouée',
    damaged: 'endommagé',
    lost: 'perdu',
    refused: 'refusé',
    returned_to_sender: 'retour à l’expéditeur',
    pickup_missed: 'enlèvement manqué',
    held_by_carrier: 'retenu par le transporteur',
    no_tracking_updates: 'aucune mise à jour du suivi',
    fulfillment_failed: 'préparation échouée',
    partial_fulfillment: 'expédition partielle',
    multiple_shipments: 'plusieurs colis',
  },
  facts: {
    order: 'Commande',
    status: 'Statut',
    reason: 'Motif',
    carrier: 'Transporteur',
    tracking: 'Suivi',
    promisedDate: 'Date promise',
    track: 'Suivre',
    cancel: 'Annuler la commande',
    customer: 'Client',
  },
};

const de: LanguageLabels = {
  itemsPhrase: {
    whole: 'Ihre Bestellung',
    some: 'einige Artikel Ihrer Bestellung',
    last: 'die letzten Artikel Ihrer Bestellung',
  },
  moreItems: (n) => (n === 1 ? '1 weiterer Artikel' : `${n} weitere Artikel`),
  and: 'und',
  trackingNumber: 'Sendungsnummer',
  statuses: {
    created: 'Bestellung eingegangen',
    processing: 'In Bearbeitung',
    dispatched: 'Versandt',
    in_transit: 'Unterwegs',
    out_for_delivery: 'In Zustellung',
    delivered: 'Zugestellt',
    completed: 'Abgeschlossen',
    on_hold: 'Angehalten',
    delayed: 'Verzögert',
    exception: 'Zustellproblem',
    split_shipment: 'Teillieferung',
    cancelled: 'Storniert',
    refunded: 'Erstattet',
    returned: 'Zurückgesandt',
  },
  reasons: {
    payment: 'Zahlung',
    fraud: 'Betrugsprüfung',
    inventory: 'Lagerbestand',
    regulatory: 'behördliche Prüfung',
    address: 'Adresse',
    manual: 'vom Team angehalten',
    carrier: 'Verzögerung beim Versanddienstleister',
    customs: 'Zoll',
    weather: 'Wetter',
    processing: 'Bearbeitung',
    promised_date_passed: 'zugesagtes Datum überschritten',
    no_carrier_scan: 'kein Scan des Versanddienstleisters',
    other: 'Sonstiges',
    failed_attempt: 'Zustellversuch fehlgeschlagen',
    damaged: 'beschädigt',
    lost: 'verloren',
    refused: 'Annahme verweigert',
    returned_to_sender: 'zurück an Absender',
    pickup_missed: 'Abholung verpasst',
    held_by_carrier: 'beim Versanddienstleister festgehalten',
    no_tracking_updates: 'keine Sendungsverfolgung',
    fulfillment_failed: 'Abwicklung fehlgeschlagen',
    partial_fulfillment: 'Teillieferung',
    multiple_shipments: 'mehrere Pakete',
  },
  facts: {
    order: 'Bestellung',
    status: 'Status',
    reason: 'Grund',
    carrier: 'Versanddienstleister',
    tracking: 'Sendungsverfolgung',
    promisedDate: 'Zugesagtes Datum',
    track: 'Verfolgen',
    cancel: 'Bestellung stornieren',
    customer: 'Kunde',
  },
};

const LABELS: Record<TemplateLocale, LanguageLabels> = { en, es, fr, de };

/** The labels for a BCP 47 tag's language, English when we have none for it. */
export const labelsFor = (locale: string): LanguageLabels => {
  const language = locale.split('-')[0]?.toLowerCase() ?? 'en';
  return Object.hasOwn(LABELS, language) ? LABELS[language as TemplateLocale] : en;
};
