/** @module The default English copy: customer messages, staff lines and internal alerts. */
import type { LocaleCopy } from './pack-types.ts';
import { ORDER_SUMMARY, SHIPMENT_SUMMARY, staffShipment, track } from './snippets.ts';

const N = '{{ order.number }}';
const TRACK = track('Track it:');
const SHIP = staffShipment('Shipment');
const WITHDRAWAL =
  '{% if rewrites.eu_withdrawal_notice %} You may withdraw from this purchase {% if withdrawal_deadline %}until {{ withdrawal_deadline | local_date }}{% else %}within 14 days of delivery{% endif %}.{% endif %}';

export const en: LocaleCopy = {
  greeting: 'Hi{% if customer.first_name %} {{ customer.first_name }}{% else %} there{% endif %},',
  signoff: 'Thank you,\n{{ shop_name }}',
  itemsHeading: 'Items',
  totalLabel: 'Total',
  itemFallback: 'Item',
  statuses: {
    created: {
      title: `Order ${N} confirmed`,
      message: `Thanks for your order ${N}${ORDER_SUMMARY}{% if order.total %}, total {{ order.total | money }}{% endif %}. We'll let you know when it ships.`,
      staff: `New order ${N}{% if order.total %} ({{ order.total | money }}){% endif %}, {{ order.item_count }} item(s).`,
    },
    processing: {
      title: `We're preparing order ${N}`,
      message: `We're preparing your order ${N}. We'll let you know when it ships.`,
      staff: `Order ${N} is being prepared.`,
    },
    dispatched: {
      title: `Shipping update for order ${N}`,
      message: `We've shipped {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY}{% if shipment.carrier %} with {{ shipment.carrier }}{% endif %}.${TRACK}`,
      staff: `Order ${N} dispatched{% if split.is_split %} (split order, {{ split.shipment_count }} parcels){% endif %}.${SHIP}`,
    },
    in_transit: {
      title: `Order ${N} is on its way`,
      message: `Your parcel from order ${N} is on its way{% if order.promised_date %}, expected by {{ order.promised_date | local_date }}{% endif %}.${TRACK}`,
      staff: `Order ${N} in transit.${SHIP}`,
    },
    out_for_delivery: {
      title: `{% if shipment.pickup %}Order ${N} is ready for pickup{% else %}Order ${N} arrives today{% endif %}`,
      message: `{% if shipment.pickup %}Your parcel from order ${N} is ready for pickup.{% else %}Your parcel from order ${N} is out for delivery today.{% endif %}${TRACK}`,
      staff: `Order ${N} {% if shipment.pickup %}ready for pickup{% else %}out for delivery{% endif %}.${SHIP}`,
    },
    delivered: {
      title: `Order ${N} delivered`,
      message: `{% if shipment.pickup %}You've collected {{ split | items_phrase }} ${N}{% else %}We've delivered {{ split | items_phrase }} ${N}{% endif %}${SHIPMENT_SUMMARY}. Enjoy!${WITHDRAWAL}`,
      staff: `Order ${N} delivered{% if split.is_split and split.is_last_to_deliver %} (all parcels){% endif %}.${SHIP}`,
    },
    completed: {
      title: `Order ${N} is complete`,
      message: `Your order ${N} is complete. Thank you for shopping with {{ shop_name }}!${WITHDRAWAL}`,
      staff: `Order ${N} completed.`,
    },
    on_hold: {
      title: `An update on order ${N}`,
      message: `{% if rewrites.neutral_hold or overlay.reason == 'regulatory' %}Your order ${N} is being reviewed. We'll update you as soon as we can.{% elsif overlay.reason == 'payment' %}We couldn't confirm the payment for order ${N}. Please check your payment details or contact us.{% elsif overlay.reason == 'address' %}We need to confirm the delivery address for order ${N}. Please contact us.{% elsif overlay.reason == 'inventory' %}Part of order ${N} is waiting for stock. We'll update you as soon as it's ready.{% else %}Your order ${N} is on hold for the moment. We'll update you as soon as we can.{% endif %}`,
      staff: `Order ${N} on hold{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    delayed: {
      title: `Order ${N} is delayed`,
      message: `Sorry, there's a delay with {{ split | items_phrase }} ${N}.{% if revised_date %} New expected date: {{ revised_date | local_date }}.{% elsif rewrites.ftc_delay_notice %} We don't know the new delivery date yet.{% endif %}{% if rewrites.ftc_delay_notice %} You can accept the delay or cancel for a full refund{% if cancel_url %}: {{ cancel_url }}{% else %} by contacting us.{% endif %}{% endif %}`,
      staff: `Order ${N} delayed{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}{% if revised_date %}, new date {{ revised_date | local_date }}{% endif %}.${SHIP}`,
    },
    exception: {
      title: `A delivery problem with order ${N}`,
      message: `{% if overlay.reason == 'failed_attempt' %}We tried to deliver your parcel from order ${N} but couldn't.{% elsif overlay.reason == 'address' %}There's a problem with the delivery address for order ${N}. Please contact us.{% elsif overlay.reason == 'refused' or overlay.reason == 'returned_to_sender' %}Your parcel from order ${N} is on its way back to us. We'll contact you.{% else %}There's a problem with the delivery of order ${N}. We're on it and will update you.{% endif %}${TRACK}`,
      staff: `Delivery problem on order ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    split_shipment: {
      title: `Order ${N} ships in several parcels`,
      message: `Your order ${N} will arrive in {% if split.shipment_count > 1 %}{{ split.shipment_count }}{% else %}several{% endif %} parcels. We'll update you on each one.`,
      staff: `Order ${N} split into {{ split.shipment_count }} shipments.`,
    },
    cancelled: {
      title: `Order ${N} cancelled`,
      message: `Your order ${N} has been cancelled. If you've been charged, we'll refund you.`,
      staff: `Order ${N} cancelled{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    refunded: {
      title: `Order ${N} refunded`,
      message: `We've refunded order ${N}{% if order.total %} ({{ order.total | money }}){% endif %}. It may take a few days to show on your statement.`,
      staff: `Order ${N} refunded{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    returned: {
      title: `Return received for order ${N}`,
      message: `We've received your return for order ${N}. We'll let you know once it's processed.`,
      staff: `Return received for order ${N}.${SHIP}`,
    },
  },
  internal: {
    on_hold: {
      title: `Order ${N} on hold: {{ overlay.reason | reason_label | default: 'no reason given' }}`,
      body: `Order ${N} is on hold{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %} since {{ occurred_at | local_date }} {{ occurred_at | local_time }}.${SHIP} Release or resolve the hold so the order can ship.`,
    },
    delayed: {
      title: `Order ${N} delayed{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `Order ${N} is delayed{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}. New promised date: {% if revised_date %}{{ revised_date | local_date }}{% else %}unknown{% endif %}.${SHIP}{% if rewrites.ftc_delay_notice %} The customer was offered the option to cancel.{% endif %}`,
    },
    exception: {
      title: `Delivery problem on order ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `Order ${N} has a delivery problem{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Check with the carrier and contact the customer if needed.`,
    },
    regulatory_hold: {
      title: `Regulatory hold on order ${N}`,
      body: `Order ${N} is held for regulatory review{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} The customer was only told the order is being reviewed: do not share the reason with them.`,
    },
  },
};
