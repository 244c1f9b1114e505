<?php
/**
 * Small stand-ins for the WordPress and WooCommerce functions the plugin calls, recording what
 * it does (options, queued actions, HTTP requests, logs) so tests can look. Not WordPress.
 *
 * @package Tidings\Tests
 */

define( 'ABSPATH', '/wordpress/' );

/** What each test starts from: one site, an administrator who may manage WooCommerce, no form. */
const TIDINGS_TEST_EMPTY = array(
	'options'         => array(),
	'autoload'        => array(),
	'actions'         => array(),
	'filters'         => array(),
	'queue'           => array(),
	'requests'        => array(),
	'responses'       => array(),
	'logs'            => array(),
	'terms'           => array(),
	'user_locale'     => array(),
	'uuid'            => 0,
	'now'             => 1750432000,
	'user'            => array(
		'id'   => 1,
		'caps' => array( 'manage_options', 'manage_woocommerce' ),
	),
	'pages'           => array(),
	'settings'        => array(),
	'settings_errors' => array(),
	'multisite'       => false,
	'blog'            => 1,
	'blogs'           => array(),
	'blog_stack'      => array(),
);

$GLOBALS['tidings_test'] = TIDINGS_TEST_EMPTY + array(
	'uuid_seed' => 0,
	'locale'    => 'en_US',
);

function tidings_test_reset() {
	foreach ( TIDINGS_TEST_EMPTY as $key => $value ) {
		$GLOBALS['tidings_test'][ $key ] = $value;
	}
	$_GET     = array();
	$_POST    = array();
	$_REQUEST = array();
	Tidings_Delivery::$clock         = static function () {
		return $GLOBALS['tidings_test']['now'];
	};
}

class WP_Error {
	private $code;
	public function __construct( $code = '', $message = '' ) {
		$this->code = $code;
	}
	public function get_error_code() {
		return $this->code;
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

function add_action( $hook, $callback, $priority = 10, $args = 1 ) {
	$GLOBALS['tidings_test']['actions'][ $hook ][] = $callback;
	return true;
}
function add_filter( $hook, $callback, $priority = 10, $args = 1 ) {
	$GLOBALS['tidings_test']['filters'][ $hook ][] = $callback;
	return true;
}
function apply_filters( $hook, $value, ...$args ) {
	foreach ( isset( $GLOBALS['tidings_test']['filters'][ $hook ] ) ? $GLOBALS['tidings_test']['filters'][ $hook ] : array() as $callback ) {
		$value = call_user_func_array( $callback, array_merge( array( $value ), $args ) );
	}
	return $value;
}
function register_activation_hook( $file, $callback ) {}

function get_option( $name, $default = false ) {
	return array_key_exists( $name, $GLOBALS['tidings_test']['options'] ) ? $GLOBALS['tidings_test']['options'][ $name ] : $default;
}
function add_option( $name, $value = '', $deprecated = '', $autoload = 'yes' ) {
	if ( array_key_exists( $name, $GLOBALS['tidings_test']['options'] ) ) {
		return false;
	}
	$GLOBALS['tidings_test']['options'][ $name ]  = sanitize_option( $name, $value );
	$GLOBALS['tidings_test']['autoload'][ $name ] = $autoload;
	return true;
}
/** As WordPress's: the value goes through sanitize_option() first. */
function update_option( $name, $value, $autoload = null ) {
	$GLOBALS['tidings_test']['options'][ $name ] = sanitize_option( $name, $value );
	return true;
}
function delete_option( $name ) {
	$existed = array_key_exists( $name, $GLOBALS['tidings_test']['options'] );
	unset( $GLOBALS['tidings_test']['options'][ $name ] );
	return $existed;
}

function home_url( $path = '' ) {
	return 'https://Shop.example.test' . $path;
}
function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}
function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}
function wp_generate_uuid4() {
	$n = ++$GLOBALS['tidings_test']['uuid'];
	return sprintf( '%08x-0000-4000-8000-%012d', $GLOBALS['tidings_test']['uuid_seed'], $n );
}
function wp_rand( $min = 0, $max = 0 ) {
	return $min;
}
function __( $text, $domain = 'default' ) {
	return $text;
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}

/**
 * Answers queued in the test, in order; with none left, a 200.
 */
function wp_remote_post( $url, $args = array() ) {
	$GLOBALS['tidings_test']['requests'][] = array(
		'url'     => $url,
		'headers' => $args['headers'],
		'body'    => $args['body'],
		'timeout' => $args['timeout'],
	);
	$next = array_shift( $GLOBALS['tidings_test']['responses'] );
	return null === $next ? array( 'response' => array( 'code' => 200 ), 'headers' => array(), 'body' => '{"ok":true}' ) : $next;
}
function wp_remote_retrieve_response_code( $response ) {
	return $response['response']['code'];
}
function wp_remote_retrieve_body( $response ) {
	return $response['body'];
}
function wp_remote_retrieve_header( $response, $header ) {
	return isset( $response['headers'][ $header ] ) ? $response['headers'][ $header ] : '';
}

class Tidings_Test_Queue {
	public function add( $hook, $args = array(), $group = '' ) {
		$GLOBALS['tidings_test']['queue'][] = array( 'when' => 'async', 'hook' => $hook, 'args' => $args, 'group' => $group );
		return count( $GLOBALS['tidings_test']['queue'] );
	}
	public function schedule_single( $timestamp, $hook, $args = array(), $group = '' ) {
		$GLOBALS['tidings_test']['queue'][] = array( 'when' => $timestamp, 'hook' => $hook, 'args' => $args, 'group' => $group );
		return count( $GLOBALS['tidings_test']['queue'] );
	}
}
class Tidings_Test_WooCommerce {
	public function queue() {
		return new Tidings_Test_Queue();
	}
}
function WC() { // phpcs:ignore WordPress.NamingConventions
	return new Tidings_Test_WooCommerce();
}
class Tidings_Test_Logger {
	public function log( $level, $message, $context = array() ) {
		$GLOBALS['tidings_test']['logs'][] = array( $level, $message );
	}
}
function wc_get_logger() {
	return new Tidings_Test_Logger();
}
function wc_format_decimal( $number, $dp = false ) {
	return number_format( (float) $number, (int) $dp, '.', '' );
}
function wc_get_price_decimals() {
	return 2;
}
function get_user_locale( $user_id = 0 ) {
	return isset( $GLOBALS['tidings_test']['user_locale'][ $user_id ] ) ? $GLOBALS['tidings_test']['user_locale'][ $user_id ] : '';
}
function get_locale() {
	return $GLOBALS['tidings_test']['locale'];
}
function wp_get_post_terms( $post_id, $taxonomy, $args = array() ) {
	return isset( $GLOBALS['tidings_test']['terms'][ $post_id ] ) ? $GLOBALS['tidings_test']['terms'][ $post_id ] : array();
}

function sanitize_text_field( $text ) {
	return trim( strip_tags( (string) $text ) );
}

class WC_DateTime extends DateTime {}

class WC_Product {
	private $sku;
	public function __construct( $sku ) {
		$this->sku = $sku;
	}
	public function get_sku() {
		return $this->sku;
	}
}

class WC_Order_Item_Product {
	private $data;
	public function __construct( array $data ) {
		$this->data = $data;
	}
	public function get_id() {
		return $this->data['id'];
	}
	public function get_product_id() {
		return $this->data['product_id'];
	}
	public function get_product() {
		return isset( $this->data['sku'] ) ? new WC_Product( $this->data['sku'] ) : false;
	}
	public function get_name() {
		return $this->data['name'];
	}
	public function get_quantity() {
		return $this->data['quantity'];
	}
	public function get_total() {
		return $this->data['total'];
	}
}

/** A WC_Order stand-in built from an array of its data. */
class WC_Order {
	private $data;
	public function __construct( array $data ) {
		$this->data = $data + array(
			'id'          => 1,
			'status'      => 'pending',
			'customer_id' => 0,
			'meta'        => array(),
			'items'       => array(),
			'created'     => '2025-06-01T09:00:00+00:00',
		);
	}
	public function __call( $name, $args ) {
		$key = preg_replace( '/^get_(billing_)?/', '', $name );
		return isset( $this->data[ $key ] ) ? $this->data[ $key ] : '';
	}
	public function get_id() {
		return $this->data['id'];
	}
	public function get_order_number() {
		return isset( $this->data['number'] ) ? $this->data['number'] : (string) $this->data['id'];
	}
	public function get_status() {
		return $this->data['status'];
	}
	public function get_customer_id() {
		return $this->data['customer_id'];
	}
	public function get_shipping_phone() {
		return isset( $this->data['shipping_phone'] ) ? $this->data['shipping_phone'] : '';
	}
	public function get_date_created() {
		return null === $this->data['created'] ? null : new WC_DateTime( $this->data['created'] );
	}
	public function get_meta( $key, $single = true ) {
		return isset( $this->data['meta'][ $key ] ) ? $this->data['meta'][ $key ] : '';
	}
	public function get_items() {
		return array_map(
			static function ( $item ) {
				return new WC_Order_Item_Product( $item );
			},
			$this->data['items']
		);
	}
}

$GLOBALS['tidings_test_orders'] = array();
function wc_get_order( $id ) {
	return isset( $GLOBALS['tidings_test_orders'][ $id ] ) ? $GLOBALS['tidings_test_orders'][ $id ] : false;
}

require __DIR__ . '/features-util.php';
require __DIR__ . '/wp-admin-stubs.php';
require '/plugin/tidings-for-woocommerce.php';
