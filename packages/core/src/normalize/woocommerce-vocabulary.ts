/**
 * @module WooCommerce order statuses (sources.md §2.6; `Enums/OrderStatus.php`). Statuses that
 * extensions register through `wc_order_statuses` are never guessed: the tenant maps them.
 */
import { ignore, overlayOnly, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

export const woocommerceVocabulary: PlatformVocabulary = {
  platform: 'woocommerce',
  label: 'WooCommerce',
  primaryField: 'status',
  // Stored post statuses carry a `wc-` prefix; the REST API and the action hook drop it.
  canonicalizeValue: (value) => (value.startsWith('wc-') ? value.slice(3) : value),
  fields: {
    status: {
      aliases: ['order_status', 'new_status', 'old_status'],
      scope: 'order',
      source:
        'woocommerce/woocommerce plugins/woocommerce/src/Enums/OrderStatus.php; REST v3 _orders.md',
      rows: {
        pending: to('created', { note: 'received, no payment yet' }),
        failed: overlayOnly('on_hold', 'payment', { note: 'payment failed or declined' }),
        'on-hold': overlayOnly('on_hold', 'payment', { note: 'awaiting payment confirmation' }),
        processing: to('processing', { note: 'paid, stock reduced' }),
        'ready-for-pickup': to('out_for_delivery', { pickup: true, note: 'local pickup (11.3+)' }),
        completed: to('completed', {
          note: 'shops that mark "completed" on shipping map it to `dispatched` in their tenant table',
        }),
        cancelled: to('cancelled'),
        refunded: to('refunded'),
        trash: ignore('in the trash'),
        draft: ignore('checkout in progress'),
        'auto-draft': ignore('checkout in progress'),
        new: ignore('checkout in progress'),
        'checkout-draft': ignore('block checkout in progress'),
      },
    },
  },
};
