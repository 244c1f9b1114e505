/** @module The default Spanish copy: customer messages, staff lines and internal alerts. */
import type { LocaleCopy } from './pack-types.ts';
import { ORDER_SUMMARY, SHIPMENT_SUMMARY, staffShipment, track } from './snippets.ts';

const N = '{{ order.number }}';
const TRACK = track('Síguelo:');
const SHIP = staffShipment('Envío');
const WITHDRAWAL =
  '{% if rewrites.eu_withdrawal_notice %} Puedes desistir de esta compra {% if withdrawal_deadline %}hasta el {{ withdrawal_deadline | local_date }}{% else %}en los 14 días siguientes a la entrega{% endif %}.{% endif %}';

export const es: LocaleCopy = {
  greeting: 'Hola{% if customer.first_name %} {{ customer.first_name }}{% endif %}:',
  signoff: 'Gracias,\n{{ shop_name }}',
  itemsHeading: 'Artículos',
  totalLabel: 'Total',
  itemFallback: 'Artículo',
  statuses: {
    created: {
      title: `Pedido ${N} confirmado`,
      message: `Gracias por tu pedido ${N}${ORDER_SUMMARY}{% if order.total %}, total {{ order.total | money }}{% endif %}. Te avisaremos cuando salga.`,
      staff: `Nuevo pedido ${N}{% if order.total %} ({{ order.total | money }}){% endif %}, {{ order.item_count }} artículo(s).`,
    },
    processing: {
      title: `Estamos preparando el pedido ${N}`,
      message: `Estamos preparando tu pedido ${N}. Te avisaremos cuando salga.`,
      staff: `Pedido ${N} en preparación.`,
    },
    dispatched: {
      title: `Novedades del envío del pedido ${N}`,
      message: `Hemos enviado {{ split | items_phrase }} ${N}${SHIPMENT_SUMMARY}{% if shipment.carrier %} con {{ shipment.carrier }}{% endif %}.${TRACK}`,
      staff: `Pedido ${N} enviado{% if split.is_split %} (pedido dividido, {{ split.shipment_count }} paquetes){% endif %}.${SHIP}`,
    },
    in_transit: {
      title: `El pedido ${N} está en camino`,
      message: `Tu paquete del pedido ${N} está en camino{% if order.promised_date %}, llegará hacia el {{ order.promised_date | local_date }}{% endif %}.${TRACK}`,
      staff: `Pedido ${N} en tránsito.${SHIP}`,
    },
    out_for_delivery: {
      title: `{% if shipment.pickup %}El pedido ${N} está listo para recoger{% else %}El pedido ${N} llega hoy{% endif %}`,
      message: `{% if shipment.pickup %}Tu paquete del pedido ${N} está listo para recoger.{% else %}Tu paquete del pedido ${N} está en reparto hoy.{% endif %}${TRACK}`,
      staff: `Pedido ${N} {% if shipment.pickup %}listo para recoger{% else %}en reparto{% endif %}.${SHIP}`,
    },
    delivered: {
      title: `Pedido ${N} entregado`,
      message: `{% if shipment.pickup %}Has recogido {{ split | items_phrase }} ${N}{% else %}Hemos entregado {{ split | items_phrase }} ${N}{% endif %}${SHIPMENT_SUMMARY}. ¡Que lo disfrutes!${WITHDRAWAL}`,
      staff: `Pedido ${N} entregado{% if split.is_split and split.is_last_to_deliver %} (todos los paquetes){% endif %}.${SHIP}`,
    },
    completed: {
      title: `Pedido ${N} completado`,
      message: `Tu pedido ${N} está completado. ¡Gracias por comprar en {{ shop_name }}!${WITHDRAWAL}`,
      staff: `Pedido ${N} completado.`,
    },
    on_hold: {
      title: `Novedades sobre el pedido ${N}`,
      message: `{% if rewrites.neutral_hold or overlay.reason == 'regulatory' %}Estamos revisando tu pedido ${N}. Te informaremos lo antes posible.{% elsif overlay.reason == 'payment' %}No hemos podido confirmar el pago del pedido ${N}. Revisa tus datos de pago o contáctanos.{% elsif overlay.reason == 'address' %}Necesitamos confirmar la dirección de entrega del pedido ${N}. Por favor, contáctanos.{% elsif overlay.reason == 'inventory' %}Parte del pedido ${N} está a la espera de existencias. Te informaremos en cuanto esté listo.{% else %}Tu pedido ${N} está en espera por el momento. Te informaremos lo antes posible.{% endif %}`,
      staff: `Pedido ${N} en espera{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    delayed: {
      title: `El pedido ${N} se retrasa`,
      message: `Lo sentimos, hay un retraso con {{ split | items_phrase }} ${N}.{% if revised_date %} Nueva fecha prevista: {{ revised_date | local_date }}.{% elsif rewrites.ftc_delay_notice %} Aún no conocemos la nueva fecha de entrega.{% endif %}{% if rewrites.ftc_delay_notice %} Puedes aceptar el retraso o cancelar con reembolso completo{% if cancel_url %}: {{ cancel_url }}{% else %} contactándonos.{% endif %}{% endif %}`,
      staff: `Pedido ${N} retrasado{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}{% if revised_date %}, nueva fecha {{ revised_date | local_date }}{% endif %}.${SHIP}`,
    },
    exception: {
      title: `Incidencia con la entrega del pedido ${N}`,
      message: `{% if overlay.reason == 'failed_attempt' %}Intentamos entregar tu paquete del pedido ${N}, pero no fue posible.{% elsif overlay.reason == 'address' %}Hay un problema con la dirección de entrega del pedido ${N}. Por favor, contáctanos.{% elsif overlay.reason == 'refused' or overlay.reason == 'returned_to_sender' %}Tu paquete del pedido ${N} está volviendo a nosotros. Te contactaremos.{% else %}Hay un problema con la entrega del pedido ${N}. Estamos en ello y te informaremos.{% endif %}${TRACK}`,
      staff: `Incidencia de entrega en el pedido ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}.${SHIP}`,
    },
    split_shipment: {
      title: `El pedido ${N} llegará en varios paquetes`,
      message: `Tu pedido ${N} llegará en {% if split.shipment_count > 1 %}{{ split.shipment_count }}{% else %}varios{% endif %} paquetes. Te informaremos de cada uno.`,
      staff: `Pedido ${N} dividido en {{ split.shipment_count }} envíos.`,
    },
    cancelled: {
      title: `Pedido ${N} cancelado`,
      message: `Tu pedido ${N} ha sido cancelado. Si se te ha cobrado, te lo reembolsaremos.`,
      staff: `Pedido ${N} cancelado{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    refunded: {
      title: `Pedido ${N} reembolsado`,
      message: `Hemos reembolsado el pedido ${N}{% if order.total %} ({{ order.total | money }}){% endif %}. Puede tardar unos días en aparecer en tu extracto.`,
      staff: `Pedido ${N} reembolsado{% if order.total %} ({{ order.total | money }}){% endif %}.`,
    },
    returned: {
      title: `Devolución recibida del pedido ${N}`,
      message: `Hemos recibido tu devolución del pedido ${N}. Te avisaremos cuando esté procesada.`,
      staff: `Devolución recibida del pedido ${N}.${SHIP}`,
    },
  },
  internal: {
    on_hold: {
      title: `Pedido ${N} en espera: {{ overlay.reason | reason_label | default: 'sin motivo indicado' }}`,
      body: `El pedido ${N} está en espera{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %} desde el {{ occurred_at | local_date }} a las {{ occurred_at | local_time }}.${SHIP} Libera o resuelve la retención para que el pedido pueda salir.`,
    },
    delayed: {
      title: `Pedido ${N} retrasado{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `El pedido ${N} se retrasa{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}. Nueva fecha prometida: {% if revised_date %}{{ revised_date | local_date }}{% else %}desconocida{% endif %}.${SHIP}{% if rewrites.ftc_delay_notice %} Se ofreció al cliente la opción de cancelar.{% endif %}`,
    },
    exception: {
      title: `Incidencia de entrega en el pedido ${N}{% if overlay.reason %}: {{ overlay.reason | reason_label }}{% endif %}`,
      body: `El pedido ${N} tiene una incidencia de entrega{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Consulta con el transportista y contacta con el cliente si hace falta.`,
    },
    regulatory_hold: {
      title: `Retención normativa del pedido ${N}`,
      body: `El pedido ${N} está retenido por una revisión normativa{% if overlay.reason %} ({{ overlay.reason | reason_label }}){% endif %}.${SHIP} Al cliente solo se le ha dicho que el pedido está en revisión: no le comuniques el motivo.`,
    },
  },
};
