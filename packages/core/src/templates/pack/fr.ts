/** @module The default French copy: customer messages, staff lines and internal alerts. */
import type { LocaleCopy } from './pack-types.ts';
import { ORDER_SUMMARY, SHIPMENT_SUMMARY, staffShipment, track } from './snippets.ts';

const N = '{{ order.number }}';
const TRACK = track('Suivi :');
const SHIP = staffShipment('Colis');
const WITHDRAWAL =
  "{% if rewrites.eu_withdrawal_notice %} Vous pouvez vous rétracter de cet achat {% if withdrawal_deadline %}jusqu'au {{ withdrawal_deadline | local_date }}{% else %}dans les 14 jours suivant la livraison{% endif %}.{% endif %}";

export const fr: LocaleCopy = {
  greeting: 'Bonjour{% if customer.first_name %} {{ customer.first_name }}{% endif %},',
  signoff: 'Merci,\n{{ shop_name }}',
  itemsHeading: 'Articles',
  totalLabel: 'Total',
  itemFallback: 'Article',
  statuses: {
    created: {
      title: `Commande ${N} confirmée`,
      message: `Merci pour votre commande ${N}${ORDER_SUMMARY}{% if order.total %}, total {{ order.total | money }}{% endif %}. Nous vous préviendrons dès son expédition.`,
      staff: `Nouvelle commande ${N}{% if order.total %} ({{ order.total | money }}){% endif %}, {{ order.item_count }} article(s).`,
    },
    processing: {
      title: `Nous préparons la commande ${N}`,
      message: `Nous préparons votre commande ${N}. Nous vous préviendrons dès son expédition.`,
      staff: `Commande ${N} en préparation.`,
    },
    dispatched: {
      title: `Expédition de la commande ${N}`,
      message: `Nous avons expédié {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY}{% if shipment.carrier %} avec {{ shipment.carrier }}{% endif %}.${TRACK}`,
      staff: `Commande ${N} expédiée{% if split.is_split %} (commande fractionnée, {{ split.shipment_count }} colis){% endif %}.${SHIP}`,
    },
    in_transit: {
      title: `La commande ${N} est en route`,
      message: `Votre colis de la commande ${N} est en route{% if order.promised_date %}, livraison prévue le {{ order.promised_date | local_date }}{% endif %}.${TRACK}`,
      staff: `Commande ${N} en transit.${SHIP}`,
    },
    out_for_delivery: {
      title: `{% if shipment.pickup %}La commande ${N} est prête à être retirée{% else %}La commande ${N} arrive aujourd'hui{% endif %}`,
      message: `{% if shipment.pickup %}Votre colis de la commande ${N} est prêt à être retiré.{% else %}Votre colis de la commande ${N} est en cours de livraison aujourd'hui.{% endif %}${TRACK}`,
      staff: `Commande ${N} {% if shipment.pickup %}prête au retrait{% else %}en cours de livraison{% endif %}.${SHIP}`,
    },
    delivered: {
      title: `Commande ${N} livrée`,
      message: `{% if shipment.pickup %}Vous avez retiré {{ split | items_phrase }} ${N}{% else %}Nous avons livré {{ split | items_phrase }} ${N}{% endif %}${SHIPMENT_SUMMARY}. Bonne réception !${WITHDRAWAL}`,
      staff: `Commande ${N} livrée{% if split.is_split and split.is_last_to_deliver %} (tous les colis){% endif %}.${SHIP}`,
    },
    completed: {
      title: `Commande ${N} terminée`,
      message: `Votre commande ${N} est terminée. Merci d'avoir choisi {{ shop_name }} !${WITHDRAWAL}`,
      staff: `Commande ${N} terminée.`,
    },
    on_hold: {
      title: `Du nouveau sur la commande ${N}`,
      message: `{% if rewrites.neutral_hold or overlay.reason == 'regulatory' %}Votre commande ${N} est en cours de vérification. Nous vous tiendrons informé dès que possible.{% elsif overlay.reason == 'payment' %}Nous n'avons pas pu confirmer le paiement de la commande ${N}. Vérifiez vos informations de paiement ou contactez-nous.{% elsif overlay.reason == 'address' %}Nous devons confirmer l'adresse de livraison de la commande ${N}. Merci de nous contacter.{% elsif overlay.reason == 'inventory' %}Une partie de la commande ${N} attend un réassort. Nous vous tiendrons informé dès qu'elle sera prête.{% else %}Votre commande ${N} est en attente pour le moment. Nous vous tiendrons informé dès que possible.{% endif %}`,
      staff: `Commande ${N} en attente{% if overlay.reason %} : {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    delayed: {
      title: `La commande ${N} est retardée`,
      message: `Désolés, un retard concerne {{ split | items_phrase }} ${N}.{% if revised_date %} Nouvelle date prévue : {{ revised_date | local_date }}.{% elsif rewrites.ftc_delay_notice %} Nous ne connaissons pas encore la nouvelle date de livraison.{% endif %}{% if rewrites.ftc_delay_notice %} Vous pouvez accepter ce retard ou annuler avec remboursement intégral{% if cancel_url %} : {{ cancel_url }}{% else %} en nous contactant.{% endif %}{% endif %}`,
      staff: `Commande ${N} retardée{% if overlay.reason %} : {{ overlay.reason | reason_label }}{% endif %}{% if revised_date %}, nouvelle date {{ revised_date | local_date }}{% endif %}.${SHIP}`,
    },
    exception: {
      title: `Un incident de livraison sur la commande ${N}`,
      message: `{% if overlay.reason == 'failed_attempt' %}Nous avons tenté de livrer votre colis de la commande ${N}, sans succès.{% elsif overlay.reason == 'address' %}L'adresse de livraison de la commande ${N} pose problème. Merci de nous contacter.{% elsif overlay.reason == 'refused' or overlay.reason == 'returned_to_sender' %}Votre colis de la commande ${N} nous est retourné. Nous vous contacterons.{% else %}La livraison de la commande ${N} rencontre un problème. Nous nous en occupons et vous tiendrons informé.{% endif %}${TRACK}`,
      staff: `Incident de livraison sur la commande ${N}{% if overlay.reason %} : {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    split_shipment: {
      title: `La commande ${N} arrivera en plusieurs colis`,
      message: `Votre commande ${N} arrivera en {% if split.shipment_count > 1 %}{{ split.shipment_count }}{% else %}plusieurs{% endif %} colis. Nous vous tiendrons informé pour chacun.`,
      staff: `Commande ${N} fractionnée en {{ split.shipment_count }} envois.`,
    },
    cancelled: {
      title: `Commande ${N} annulée`,
      message: `Votre commande ${N} a été annulée. Si vous avez été débité, nous vous rembourserons.`,
      staff: `Commande ${N} annulée{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    refunded: {
      title: `Commande ${N} remboursée`,
      message: `Nous avons remboursé la commande ${N}{% if order.total %} ({{ order.total | money }}){% endif %}. Le remboursement peut prendre quelques jours à apparaître sur votre relevé.`,
      staff: `Commande ${N} remboursée{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    returned: {
      title: `Retour reçu pour la commande ${N}`,
      message: `Nous avons reçu votre retour pour la commande ${N}. Nous vous préviendrons une fois traité.`,
      staff: `Retour reçu pour la commande ${N}.${SHIP}`,
    },
  },
  internal: {
    on_hold: {
      title: `Commande ${N} en attente : {{ overlay.reason | reason_label | default: 'motif non précisé' }}`,
      body: `La commande ${N} est en attente{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %} depuis le {{ occurred_at | local_date }} à {{ occurred_at | local_time }}.${SHIP} Levez ou résolvez le blocage pour que la commande puisse partir.`,
    },
    delayed: {
      title: `Commande ${N} retardée{% if overlay.reason %} : {{ overlay.reason | reason_label }}{% endif %}`,
      body: `La commande ${N} est retardée{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}. Nouvelle date promise : {% if revised_date %}{{ revised_date | local_date }}{% else %}inconnue{% endif %}.${SHIP}{% if rewrites.ftc_delay_notice %} Le client s'est vu proposer l'annulation.{% endif %}`,
    },
    exception: {
      title: `Incident de livraison sur la commande ${N}{% if overlay.reason %} : {{ overlay.reason | reason_label }}{% endif %}`,
      body: `La commande ${N} rencontre un incident de livraison{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Vérifiez auprès du transporteur et contactez le client si nécessaire.`,
    },
    regulatory_hold: {
      title: `Blocage réglementaire de la commande ${N}`,
      body: `La commande ${N} est bloquée pour un contrôle réglementaire{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Le client sait seulement que sa commande est en cours de vérification : ne lui communiquez pas le motif.`,
    },
  },
};
