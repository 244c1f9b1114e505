<?php
/**
 * What the plugin sends for one order event (schema 1): the status change with its previous
 * status, the order's contact, locale, items with categories and tracking numbers, as they stood
 * when the status changed. The endpoint reads it in apps/woocommerce/src/plugin-delivery.ts.
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds delivery payloads from WC_Order objects.
 */
final class Tidings_Payload {

	/**
	 * Order meta written by common shipment-tracking extensions: tracking number key => carrier key.
	 * (`_wc_shipment_tracking_items`, a list, is read separately.) The endpoint reads the same keys.
	 */
	const TRACKING_META = array(
		'_aftership_tracking_number' => '_aftership_tracking_provider_name',
		'ywot_tracking_code'         => 'ywot_carrier_name',
		'_tracking_number'           => '_tracking_provider',
	);

	/**
	 * The payload for one order event.
	 *
	 * @param WC_Order    $order The order.
	 * @param string      $event order.created or order.status_changed.
	 * @param string|null $from  The previous status slug (no wc- prefix), null for a new order.
	 * @param string      $to    The new status slug.
	 * @param int         $at    When it changed, Unix seconds.
	 * @return array<string, mixed>
	 */
	public static function for_order( $order, $event, $from, $to, $at ) {
		$created = $order->get_date_created();
		$payload = array(
			'schema' => 1,
			'event'  => $event,
			'order'  => array(
				'id'          => (int) $order->get_id(),
				'number'      => (string) $order->get_order_number(),
				'status_from' => ( null === $from || '' === $from ) ? null : (string) $from,
				'status_to'   => (string) $to,
				'changed_at'  => gmdate( 'c', $at ),
				'created_at'  => $created ? gmdate( 'c', $created->getTimestamp() ) : null,
				'currency'    => (string) $order->get_currency(),
				'total'       => (string) wc_format_decimal( $order->get_total(), wc_get_price_decimals() ),
				'customer'    => self::customer( $order ),
				'items'       => self::items( $order ),
				'tracking'    => self::tracking( $order ),
			),
		);
		/**
		 * Filters the payload before it is queued.
		 *
		 * @param array    $payload The payload.
		 * @param WC_Order $order   The order.
		 */
		return apply_filters( 'tidings_payload', $payload, $order );
	}

	/**
	 * The order's contact.
	 *
	 * @param WC_Order $order The order.
	 * @return array<string, mixed>
	 */
	public static function customer( $order ) {
		$phone = (string) $order->get_billing_phone();
		if ( '' === $phone && method_exists( $order, 'get_shipping_phone' ) ) {
			$phone = (string) $order->get_shipping_phone();
		}
		return array(
			'id'         => (int) $order->get_customer_id(),
			'email'      => (string) $order->get_billing_email(),
			'phone'      => $phone,
			'first_name' => (string) $order->get_billing_first_name(),
			'last_name'  => (string) $order->get_billing_last_name(),
			'country'    => (string) $order->get_billing_country(),
			'state'      => (string) $order->get_billing_state(),
			'locale'     => self::locale( $order ),
		);
	}

	/**
	 * The customer's locale: their own for registered customers, the language a multilingual
	 * plugin recorded on the order, or the site's.
	 *
	 * @param WC_Order $order The order.
	 * @return string A WordPress locale such as fr_FR.
	 */
	public static function locale( $order ) {
		$locale      = '';
		$customer_id = (int) $order->get_customer_id();
		if ( $customer_id > 0 ) {
			$locale = (string) get_user_locale( $customer_id );
		}
		if ( '' === $locale ) {
			$locale = (string) $order->get_meta( 'wpml_language', true );
		}
		if ( '' === $locale ) {
			$locale = (string) get_locale();
		}
		return (string) apply_filters( 'tidings_order_locale', $locale, $order );
	}

	/**
	 * Line items with their product categories (restricted-goods rules read them).
	 *
	 * @param WC_Order $order The order.
	 * @return array<int, array<string, mixed>>
	 */
	public static function items( $order ) {
		$items = array();
		foreach ( $order->get_items() as $item ) {
			if ( ! is_object( $item ) || ! method_exists( $item, 'get_product_id' ) ) {
				continue;
			}
			$product_id = (int) $item->get_product_id();
			$product    = $item->get_product();
			$terms      = $product_id > 0 ? wp_get_post_terms( $product_id, 'product_cat', array( 'fields' => 'names' ) ) : array();
			$items[]    = array(
				'id'         => (int) $item->get_id(),
				'product_id' => $product_id,
				'sku'        => $product ? (string) $product->get_sku() : '',
				'name'       => (string) $item->get_name(),
				'quantity'   => (int) $item->get_quantity(),
				'total'      => (string) wc_format_decimal( $item->get_total(), wc_get_price_decimals() ),
				'categories' => is_array( $terms ) ? array_values( array_map( 'strval', $terms ) ) : array(),
			);
		}
		return $items;
	}

	/**
	 * Tracking numbers from the common shipment-tracking meta, oldest first.
	 *
	 * @param WC_Order $order The order.
	 * @return array<int, array<string, string>>
	 */
	public static function tracking( $order ) {
		$found = array();
		$items = $order->get_meta( '_wc_shipment_tracking_items', true );
		if ( is_array( $items ) ) {
			foreach ( $items as $item ) {
				if ( ! is_array( $item ) || empty( $item['tracking_number'] ) ) {
					continue;
				}
				$carrier = ! empty( $item['custom_tracking_provider'] ) ? $item['custom_tracking_provider'] : ( isset( $item['tracking_provider'] ) ? $item['tracking_provider'] : '' );
				$found[] = array(
					'number'  => (string) $item['tracking_number'],
					'carrier' => (string) $carrier,
					'url'     => isset( $item['custom_tracking_link'] ) ? (string) $item['custom_tracking_link'] : '',
				);
			}
		}
		foreach ( self::TRACKING_META as $number_key => $carrier_key ) {
			$number = (string) $order->get_meta( $number_key, true );
			if ( '' === $number || in_array( $number, array_column( $found, 'number' ), true ) ) {
				continue;
			}
			$found[] = array(
				'number'  => $number,
				'carrier' => (string) $order->get_meta( $carrier_key, true ),
				'url'     => '',
			);
		}
		return apply_filters( 'tidings_order_tracking', $found, $order );
	}
}
