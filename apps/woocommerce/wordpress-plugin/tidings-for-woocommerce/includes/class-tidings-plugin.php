<?php
/**
 * Wires the hooks: every status change (woocommerce_order_status_changed, which carries the
 * previous status), and the first status of a new order, which that hook never reports.
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

/**
 * Hooks.
 */
final class Tidings_Plugin {

	/** Checkout and admin drafts: never news, and a real status follows. */
	const DRAFTS = array( 'checkout-draft', 'auto-draft', 'draft', 'new' );

	/**
	 * New orders seen in this request: order id => first status.
	 *
	 * @var array<int, string>
	 */
	private static $new_orders = array();

	/**
	 * Declares compatibility with WooCommerce's custom order tables (HPOS): the plugin reads
	 * orders only through WC_Order.
	 */
	public static function declare_compatibility() {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', TIDINGS_PLUGIN_FILE, true );
		}
	}

	/**
	 * Hooks everything once WooCommerce is loaded.
	 */
	public static function boot() {
		if ( ! function_exists( 'WC' ) ) {
			return;
		}
		add_action( 'woocommerce_order_status_changed', array( __CLASS__, 'on_status_changed' ), 10, 4 );
		add_action( 'woocommerce_new_order', array( __CLASS__, 'on_new_order' ), 10, 2 );
		add_action( 'shutdown', array( __CLASS__, 'flush_new_orders' ) );
		add_action( Tidings_Delivery::HOOK, array( 'Tidings_Delivery', 'deliver' ) );
		Tidings_Settings::register();
	}

	/**
	 * A status change, with the previous status, queued as it stood at this moment.
	 *
	 * @param int           $order_id The order id.
	 * @param string        $from     The previous status (no wc- prefix).
	 * @param string        $to       The new status.
	 * @param WC_Order|null $order    The order.
	 */
	public static function on_status_changed( $order_id, $from, $to, $order = null ) {
		if ( ! $order instanceof WC_Order ) {
			$order = wc_get_order( $order_id );
		}
		if ( ! $order instanceof WC_Order || in_array( $to, self::DRAFTS, true ) ) {
			return;
		}
		unset( self::$new_orders[ (int) $order_id ] );
		self::send( $order, 'order.status_changed', (string) $from, (string) $to, Tidings_Delivery::now() );
	}

	/**
	 * Notes a new order's first status; sent at shutdown, once its items are saved (WooCommerce
	 * fires woocommerce_new_order before it saves them).
	 *
	 * @param int           $order_id The order id.
	 * @param WC_Order|null $order    The order.
	 */
	public static function on_new_order( $order_id, $order = null ) {
		if ( ! $order instanceof WC_Order ) {
			$order = wc_get_order( $order_id );
		}
		if ( $order instanceof WC_Order ) {
			self::$new_orders[ (int) $order_id ] = (string) $order->get_status();
		}
	}

	/**
	 * Queues the first status of each order created in this request, unless it is a draft or
	 * the order already changed status in this request (that change carries the news).
	 */
	public static function flush_new_orders() {
		$orders           = self::$new_orders;
		self::$new_orders = array();
		foreach ( $orders as $order_id => $status ) {
			if ( in_array( $status, self::DRAFTS, true ) ) {
				continue;
			}
			$order = wc_get_order( $order_id );
			if ( ! $order instanceof WC_Order ) {
				continue;
			}
			$created = $order->get_date_created();
			self::send( $order, 'order.created', null, $status, $created ? $created->getTimestamp() : Tidings_Delivery::now() );
		}
	}

	/**
	 * Builds and queues one delivery, unless a filter says no.
	 *
	 * @param WC_Order    $order The order.
	 * @param string      $event The event name.
	 * @param string|null $from  The previous status.
	 * @param string      $to    The new status.
	 * @param int         $at    When, Unix seconds.
	 */
	private static function send( $order, $event, $from, $to, $at ) {
		/**
		 * Whether to send this status change to Tidings.
		 *
		 * @param bool        $send  Default true.
		 * @param WC_Order    $order The order.
		 * @param string|null $from  The previous status.
		 * @param string      $to    The new status.
		 */
		if ( ! apply_filters( 'tidings_should_send', true, $order, $from, $to ) ) {
			return;
		}
		Tidings_Delivery::enqueue( Tidings_Payload::for_order( $order, $event, $from, $to, $at ) );
	}
}
