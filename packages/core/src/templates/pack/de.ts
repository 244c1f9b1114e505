/** @module The default German copy (formal "Sie"): customer messages, staff lines and alerts. */
import type { LocaleCopy } from './pack-types.ts';
import { ORDER_SUMMARY, SHIPMENT_SUMMARY, staffShipment, track } from './snippets.ts';

const N = '{{ order.number }}';
const TRACK = track('Sendungsverfolgung:');
const SHIP = staffShipment('Sendung');
const WITHDRAWAL =
  '{% if rewrites.eu_withdrawal_notice %} Sie können diesen Kauf {% if withdrawal_deadline %}bis zum {{ withdrawal_deadline | local_date }}{% else %}innerhalb von 14 Tagen nach Lieferung{% endif %} widerrufen.{% endif %}';

export const de: LocaleCopy = {
  greeting: 'Hallo{% if customer.first_name %} {{ customer.first_name }}{% endif %},',
  signoff: 'Vielen Dank,\n{{ shop_name }}',
  itemsHeading: 'Artikel',
  totalLabel: 'Summe',
  itemFallback: 'Artikel',
  statuses: {
    created: {
      title: `Bestellung ${N} bestätigt`,
      message: `Danke für Ihre Bestellung ${N}${ORDER_SUMMARY}{% if order.total %}, Summe {{ order.total | money }}{% endif %}. Wir melden uns, sobald sie versandt wird.`,
      staff: `Neue Bestellung ${N}{% if order.total %} ({{ order.total | money }}){% endif %}, {{ order.item_count }} Artikel.`,
    },
    processing: {
      title: `Wir bereiten Bestellung ${N} vor`,
      message: `Wir bereiten Ihre Bestellung ${N} vor. Wir melden uns, sobald sie versandt wird.`,
      staff: `Bestellung ${N} in Bearbeitung.`,
    },
    dispatched: {
      title: `Versandinfo zu Bestellung ${N}`,
      message: `Wir haben {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY} versandt{% if shipment.carrier %} (mit {{ shipment.carrier }}){% endif %}.${TRACK}`,
      staff: `Bestellung ${N} versandt{% if split.is_split %} (Teillieferung, {{ split.shipment_count }} Pakete){% endif %}.${SHIP}`,
    },
    in_transit: {
      title: `Bestellung ${N} ist unterwegs`,
      message: `Ihr Paket aus Bestellung ${N} ist unterwegs{% if order.promised_date %}, voraussichtlich bis {{ order.promised_date | local_date }}{% endif %}.${TRACK}`,
      staff: `Bestellung ${N} unterwegs.${SHIP}`,
    },
    out_for_delivery: {
      title: `{% if shipment.pickup %}Bestellung ${N} liegt zur Abholung bereit{% else %}Bestellung ${N} kommt heute{% endif %}`,
      message: `{% if shipment.pickup %}Ihr Paket aus Bestellung ${N} liegt zur Abholung bereit.{% else %}Ihr Paket aus Bestellung ${N} wird heute zugestellt.{% endif %}${TRACK}`,
      staff: `Bestellung ${N} {% if shipment.pickup %}abholbereit{% else %}in Zustellung{% endif %}.${SHIP}`,
    },
    delivered: {
      title: `Bestellung ${N} zugestellt`,
      message: `{% if shipment.pickup %}Sie haben {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY} abgeholt{% else %}Wir haben {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY} zugestellt{% endif %}. Viel Freude damit!${WITHDRAWAL}`,
      staff: `Bestellung ${N} zugestellt{% if split.is_split and split.is_last_to_deliver %} (alle Pakete){% endif %}.${SHIP}`,
    },
    completed: {
      title: `Bestellung ${N} abgeschlossen`,
      message: `Ihre Bestellung ${N} ist abgeschlossen. Danke für Ihren Einkauf bei {{ shop_name }}!${WITHDRAWAL}`,
      staff: `Bestellung ${N} abgeschlossen.`,
    },
    on_hold: {
      title: `Neuigkeiten zu Bestellung ${N}`,
      message: `{% if rewrites.neutral_hold or overlay.reason == 'regulatory' %}Ihre Bestellung ${N} wird gerade geprüft. Wir melden uns so bald wie möglich.{% elsif overlay.reason == 'payment' %}Wir konnten die Zahlung für Bestellung ${N} nicht bestätigen. Bitte prüfen Sie Ihre Zahlungsdaten oder kontaktieren Sie uns.{% elsif overlay.reason == 'address' %}Wir müssen die Lieferadresse für Bestellung ${N} bestätigen. Bitte kontaktieren Sie uns.{% elsif overlay.reason == 'inventory' %}Ein Teil von Bestellung ${N} wartet auf Lagerbestand. Wir melden uns, sobald er bereit ist.{% else %}Ihre Bestellung ${N} ist vorübergehend angehalten. Wir melden uns so bald wie möglich.{% endif %}`,
      staff: `Bestellung ${N} angehalten{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    delayed: {
      title: `Bestellung ${N} verzögert sich`,
      message: `Leider verzögert sich die Lieferung für {{ split | items_phrase }} ${N}.{% if revised_date %} Neues voraussichtliches Datum: {{ revised_date | local_date }}.{% elsif rewrites.ftc_delay_notice %} Das neue Lieferdatum steht noch nicht fest.{% endif %}{% if rewrites.ftc_delay_notice %} Sie können die Verzögerung akzeptieren oder gegen volle Erstattung stornieren{% if cancel_url %}: {{ cancel_url }}{% else %}, indem Sie uns kontaktieren.{% endif %}{% endif %}`,
      staff: `Bestellung ${N} verzögert{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}{% if revised_date %}, neues Datum {{ revised_date | local_date }}{% endif %}.${SHIP}`,
    },
    exception: {
      title: `Ein Zustellproblem bei Bestellung ${N}`,
      message: `{% if overlay.reason == 'failed_attempt' %}Wir haben versucht, Ihr Paket aus Bestellung ${N} zuzustellen, leider ohne Erfolg.{% elsif overlay.reason == 'address' %}Es gibt ein Problem mit der Lieferadresse für Bestellung ${N}. Bitte kontaktieren Sie uns.{% elsif overlay.reason == 'refused' or overlay.reason == 'returned_to_sender' %}Ihr Paket aus Bestellung ${N} ist auf dem Rückweg zu uns. Wir melden uns bei Ihnen.{% else %}Bei der Zustellung von Bestellung ${N} gibt es ein Problem. Wir kümmern uns darum und halten Sie auf dem Laufenden.{% endif %}${TRACK}`,
      staff: `Zustellproblem bei Bestellung ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    split_shipment: {
      title: `Bestellung ${N} kommt in mehreren Paketen`,
      message: `Ihre Bestellung ${N} kommt in {% if split.shipment_count > 1 %}{{ split.shipment_count }}{% else %}mehreren{% endif %} Paketen. Wir informieren Sie über jedes einzelne.`,
      staff: `Bestellung ${N} auf {{ split.shipment_count }} Sendungen aufgeteilt.`,
    },
    cancelled: {
      title: `Bestellung ${N} storniert`,
      message: `Ihre Bestellung ${N} wurde storniert. Falls Ihnen etwas berechnet wurde, erstatten wir es Ihnen.`,
      staff: `Bestellung ${N} storniert{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    refunded: {
      title: `Bestellung ${N} erstattet`,
      message: `Wir haben Bestellung ${N} erstattet{% if order.total %} ({{ order.total | money }}){% endif %}. Es kann einige Tage dauern, bis die Erstattung auf Ihrem Konto erscheint.`,
      staff: `Bestellung ${N} erstattet{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    returned: {
      title: `Rücksendung zu Bestellung ${N} erhalten`,
      message: `Wir haben Ihre Rücksendung zu Bestellung ${N} erhalten. Wir melden uns, sobald sie bearbeitet ist.`,
      staff: `Rücksendung zu Bestellung ${N} erhalten.${SHIP}`,
    },
  },
  internal: {
    on_hold: {
      title: `Bestellung ${N} angehalten: {{ overlay.reason | reason_label | default: 'kein Grund angegeben' }}`,
      body: `Bestellung ${N} ist seit {{ occurred_at | local_date }} {{ occurred_at | local_time }} angehalten{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Geben Sie die Bestellung frei oder klären Sie den Grund, damit sie versandt werden kann.`,
    },
    delayed: {
      title: `Bestellung ${N} verzögert{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `Bestellung ${N} verzögert sich{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}. Neues zugesagtes Datum: {% if revised_date %}{{ revised_date | local_date }}{% else %}unbekannt{% endif %}.${SHIP}{% if rewrites.ftc_delay_notice %} Dem Kunden wurde die Stornierung angeboten.{% endif %}`,
    },
    exception: {
      title: `Zustellproblem bei Bestellung ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `Bei Bestellung ${N} gibt es ein Zustellproblem{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Klären Sie es mit dem Versanddienstleister und kontaktieren Sie bei Bedarf den Kunden.`,
    },
    regulatory_hold: {
      title: `Behördliche Sperre für Bestellung ${N}`,
      body: `Bestellung ${N} ist wegen einer behördlichen Prüfung angehalten{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Dem Kunden wurde nur mitgeteilt, dass die Bestellung geprüft wird: Nennen Sie ihm den Grund nicht.`,
    },
  },
};
