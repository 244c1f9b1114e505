<?php
/**
 * The plugin's PHP unit tests: payload building, signing, queueing and retry scheduling, run on
 * real PHP 7.4 (WebAssembly) with the stand-ins in wp-stubs.php.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';
require __DIR__ . '/wp-stubs.php';

function configure() {
	update_option(
		'tidings_settings',
		array(
			'endpoint_url' => 'https://tidings.example.test/woocommerce/events',
			'site_id'      => 'shop.example.test',
			'secret'       => 'plugin-secret-0123456789abcdef',
		)
	);
}

function sample_order( array $over = array() ) {
	return new WC_Order(
		$over + array(
			'id'          => 42,
			'number'      => 'A-42',
			'status'      => 'processing',
			'currency'    => 'EUR',
			'total'       => '12.5',
			'customer_id' => 7,
			'email'       => 'zoe@example.com',
			'phone'       => '+33 6 12 34 56 78',
			'first_name'  => 'Zoë',
			'last_name'   => 'Ñúñez',
			'country'     => 'FR',
			'state'       => '',
			'items'       => array(
				array( 'id' => 9, 'product_id' => 5, 'sku' => 'GIN-1', 'name' => 'Gin', 'quantity' => 1, 'total' => '12.5' ),
			),
			'meta'        => array(
				'_wc_shipment_tracking_items' => array(
					array( 'tracking_provider' => 'ups', 'tracking_number' => '1Z1', 'date_shipped' => '1700000000' ),
					array( 'custom_tracking_provider' => 'Courier', 'custom_tracking_link' => 'https://courier.test/2', 'tracking_number' => 'LC2' ),
				),
				'_aftership_tracking_number'        => 'AS3',
				'_aftership_tracking_provider_name' => 'DHL',
				'ywot_tracking_code'                => 'LC2',
			),
		)
	);
}

function queued_body( $index = 0 ) {
	$id = $GLOBALS['tidings_test']['queue'][ $index ]['args'][0];
	return json_decode( get_option( 'tidings_delivery_' . $id )['body'], true );
}

function answer( $code, array $headers = array(), $body = '{}' ) {
	$GLOBALS['tidings_test']['responses'][] = array( 'response' => array( 'code' => $code ), 'headers' => $headers, 'body' => $body );
}

test(
	'signs the shared test vectors exactly as the endpoint does',
	static function () {
		foreach ( input()['vectors'] as $v ) {
			same( $v['signature'], Tidings_Signer::signature( $v['secret'], $v['timestamp'], $v['deliveryId'], $v['body'] ), $v['name'] );
		}
	}
);

test(
	'declares HPOS compatibility and hooks the status change with all four arguments',
	static function () {
		Tidings_Plugin::declare_compatibility();
		same( array( array( 'custom_order_tables', 'tidings-for-woocommerce.php', true ) ), \Automattic\WooCommerce\Utilities\FeaturesUtil::$declared, 'declared' );
		Tidings_Plugin::boot();
		foreach ( array( 'woocommerce_order_status_changed', 'woocommerce_new_order', 'shutdown', 'tidings_deliver', 'admin_menu', 'admin_post_tidings_test_connection' ) as $hook ) {
			check( isset( $GLOBALS['tidings_test']['actions'][ $hook ] ), "hooks $hook" );
		}
	}
);

test(
	'records a status change with its previous status, contact, locale, items, categories and tracking',
	static function () {
		$GLOBALS['tidings_test']['user_locale'][7] = 'fr_FR';
		$GLOBALS['tidings_test']['terms'][5]       = array( 'Spirits', 'Age-restricted' );
		Tidings_Plugin::on_status_changed( 42, 'pending', 'processing', sample_order() );
		same( 1, count( $GLOBALS['tidings_test']['queue'] ), 'queued actions' );
		$queued = $GLOBALS['tidings_test']['queue'][0];
		same( array( 'async', 'tidings_deliver', 'tidings' ), array( $queued['when'], $queued['hook'], $queued['group'] ), 'queued on Action Scheduler' );
		$body = queued_body();
		same( 'order.status_changed', $body['event'], 'event' );
		same( $queued['args'][0], $body['delivery_id'], 'delivery id in the body' );
		same( 'https://Shop.example.test', $body['site_url'], 'site url' );
		same( array( 'pending', 'processing' ), array( $body['order']['status_from'], $body['order']['status_to'] ), 'from and to' );
		same( '2025-06-20T15:06:40+00:00', $body['order']['changed_at'], 'changed at' );
		same( '2025-06-01T09:00:00+00:00', $body['order']['created_at'], 'created at' );
		same( '12.50', $body['order']['total'], 'total' );
		same( 'fr_FR', $body['order']['customer']['locale'], 'the customer’s own locale' );
		same( 'zoe@example.com', $body['order']['customer']['email'], 'email' );
		same( 'Zoë', $body['order']['customer']['first_name'], 'UTF-8 kept' );
		same( array( 'id' => 9, 'product_id' => 5, 'sku' => 'GIN-1', 'name' => 'Gin', 'quantity' => 1, 'total' => '12.50', 'categories' => array( 'Spirits', 'Age-restricted' ) ), $body['order']['items'][0], 'item' );
		same( array( '1Z1', 'LC2', 'AS3' ), array_column( $body['order']['tracking'], 'number' ), 'tracking numbers, deduplicated' );
		same( 'Courier', $body['order']['tracking'][1]['carrier'], 'custom carrier wins' );
		same( 'no', $GLOBALS['tidings_test']['autoload'][ 'tidings_delivery_' . $body['delivery_id'] ], 'kept without autoload' );
	}
);

test(
	'falls back to the order’s multilingual meta, then the site locale',
	static function () {
		same( 'de_DE', Tidings_Payload::locale( sample_order( array( 'customer_id' => 0, 'meta' => array( 'wpml_language' => 'de_DE' ) ) ) ), 'wpml' );
		same( 'en_US', Tidings_Payload::locale( sample_order( array( 'customer_id' => 0, 'meta' => array() ) ) ), 'site' );
	}
);

test(
	'skips drafts and anything the tidings_should_send filter refuses',
	static function () {
		Tidings_Plugin::on_status_changed( 42, 'pending', 'checkout-draft', sample_order() );
		add_filter(
			'tidings_should_send',
			static function ( $send, $order, $from, $to ) {
				return 'cancelled' !== $to;
			},
			10,
			4
		);
		Tidings_Plugin::on_status_changed( 42, 'pending', 'cancelled', sample_order() );
		same( 0, count( $GLOBALS['tidings_test']['queue'] ), 'nothing queued' );
		$GLOBALS['tidings_test']['filters'] = array();
	}
);

test(
	'sends a new order’s first status at shutdown, once, and not when a change in the same request carries the news',
	static function () {
		$GLOBALS['tidings_test_orders'][50] = sample_order( array( 'id' => 50, 'status' => 'pending' ) );
		$GLOBALS['tidings_test_orders'][51] = sample_order( array( 'id' => 51, 'status' => 'pending' ) );
		$GLOBALS['tidings_test_orders'][52] = sample_order( array( 'id' => 52, 'status' => 'checkout-draft' ) );
		Tidings_Plugin::on_new_order( 50, $GLOBALS['tidings_test_orders'][50] );
		Tidings_Plugin::on_new_order( 51 );
		Tidings_Plugin::on_new_order( 52 );
		Tidings_Plugin::on_status_changed( 51, 'pending', 'processing', $GLOBALS['tidings_test_orders'][51] );
		Tidings_Plugin::flush_new_orders();
		Tidings_Plugin::flush_new_orders();
		same( 2, count( $GLOBALS['tidings_test']['queue'] ), 'one change and one creation' );
		$created = queued_body( 1 );
		same( array( 'order.created', 50, null, 'pending' ), array( $created['event'], $created['order']['id'], $created['order']['status_from'], $created['order']['status_to'] ), 'created event' );
		same( '2025-06-01T09:00:00+00:00', $created['order']['changed_at'], 'at the order’s creation' );
	}
);

test(
	'delivers a signed POST and forgets the delivery once Tidings answers 2xx',
	static function () {
		configure();
		$id = Tidings_Delivery::enqueue( array( 'schema' => 1, 'event' => 'order.status_changed', 'order' => array() ) );
		Tidings_Delivery::deliver( $id );
		same( 1, count( $GLOBALS['tidings_test']['requests'] ), 'one request' );
		$request = $GLOBALS['tidings_test']['requests'][0];
		same( 'https://tidings.example.test/woocommerce/events', $request['url'], 'endpoint' );
		same( 'shop.example.test', $request['headers']['X-Tidings-Site'], 'site' );
		same( $id, $request['headers']['X-Tidings-Delivery'], 'delivery id header' );
		same( '1750432000', $request['headers']['X-Tidings-Timestamp'], 'timestamp' );
		same( 'v1=' . hash_hmac( 'sha256', '1750432000.' . $id . '.' . $request['body'], 'plugin-secret-0123456789abcdef' ), $request['headers']['X-Tidings-Signature'], 'signature' );
		same( false, get_option( 'tidings_delivery_' . $id ), 'forgotten' );
	}
);

test(
	'retries with exponential backoff, honouring Retry-After, and re-signs each attempt',
	static function () {
		configure();
		$id = Tidings_Delivery::enqueue( array( 'schema' => 1, 'event' => 'order.status_changed', 'order' => array() ) );
		answer( 500 );
		Tidings_Delivery::deliver( $id );
		$GLOBALS['tidings_test']['now'] += 60;
		answer( 503, array( 'retry-after' => '600' ) );
		Tidings_Delivery::deliver( $id );
		$GLOBALS['tidings_test']['now'] += 600;
		$GLOBALS['tidings_test']['responses'][] = new WP_Error( 'http_request_failed', 'cURL error 7' );
		Tidings_Delivery::deliver( $id );
		$queue = $GLOBALS['tidings_test']['queue'];
		same( array( 'async', 1750432060, 1750432660, 1750432900 ), array_column( $queue, 'when' ), 'attempt times' );
		$record = get_option( 'tidings_delivery_' . $id );
		same( array( 3, 'pending', 'unreachable: http_request_failed' ), array( $record['attempts'], $record['status'], $record['last_error'] ), 'record' );
		$stamps = array_map(
			static function ( $r ) {
				return $r['headers']['X-Tidings-Timestamp'];
			},
			$GLOBALS['tidings_test']['requests']
		);
		same( array( '1750432000', '1750432060', '1750432660' ), $stamps, 'each attempt signed at its own time' );
		same( 1, count( array_unique( array_column( array_column( $GLOBALS['tidings_test']['requests'], 'headers' ), 'X-Tidings-Delivery' ) ) ), 'one delivery id' );
	}
);

test(
	'caps the backoff at six hours',
	static function () {
		same( array( 60, 120, 240, 21600, 21600 ), array( Tidings_Delivery::backoff( 1 ), Tidings_Delivery::backoff( 2 ), Tidings_Delivery::backoff( 3 ), Tidings_Delivery::backoff( 10 ), Tidings_Delivery::backoff( 40 ) ), 'delays' );
	}
);

test(
	'treats 409 as delivered, keeps a refused delivery and tells Action Scheduler it failed',
	static function () {
		configure();
		$replayed = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		answer( 409 );
		Tidings_Delivery::deliver( $replayed );
		same( false, get_option( 'tidings_delivery_' . $replayed ), '409 is done' );
		$refused = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		answer( 422, array(), '{"error":{"code":"unknown_status","message":"…"}}' );
		$thrown = '';
		try {
			Tidings_Delivery::deliver( $refused );
		} catch ( Exception $e ) {
			$thrown = $e->getMessage();
		}
		check( false !== strpos( $thrown, 'HTTP 422 unknown_status' ), 'throws with the code: ' . $thrown );
		same( 'rejected', get_option( 'tidings_delivery_' . $refused )['status'], 'kept as rejected' );
		same( array( $refused ), get_option( 'tidings_undelivered' ), 'listed for sending again' );
		same( 2, count( $GLOBALS['tidings_test']['queue'] ), 'no retry scheduled' );
	}
);

test(
	'gives up after fifteen attempts without losing the delivery, and sends it again on request',
	static function () {
		configure();
		$id = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		for ( $i = 0; $i < 15; $i++ ) {
			answer( 502 );
			Tidings_Delivery::deliver( $id );
		}
		same( 15, count( $GLOBALS['tidings_test']['queue'] ), 'first attempt plus fourteen retries' );
		$record = get_option( 'tidings_delivery_' . $id );
		same( array( 'given_up', 15 ), array( $record['status'], $record['attempts'] ), 'given up, kept' );
		Tidings_Delivery::deliver( $id );
		same( 15, count( $GLOBALS['tidings_test']['requests'] ), 'a given-up delivery is not sent by a stray action' );
		same( 1, Tidings_Delivery::undelivered_count(), 'one waiting' );
		same( 1, Tidings_Delivery::requeue_undelivered(), 'queued again' );
		$last = end( $GLOBALS['tidings_test']['queue'] );
		same( array( 'async', array( $id ) ), array( $last['when'], $last['args'] ), 'same delivery id' );
		same( array( 'pending', 0 ), array( get_option( 'tidings_delivery_' . $id )['status'], get_option( 'tidings_delivery_' . $id )['attempts'] ), 'reset' );
		same( 0, Tidings_Delivery::undelivered_count(), 'none waiting' );
		Tidings_Delivery::deliver( $id );
		same( false, get_option( 'tidings_delivery_' . $id ), 'delivered at last' );
	}
);

test(
	'waits, without sending, while the endpoint is not configured',
	static function () {
		$id = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		Tidings_Delivery::deliver( $id );
		same( 0, count( $GLOBALS['tidings_test']['requests'] ), 'no request' );
		same( 'not_configured', get_option( 'tidings_delivery_' . $id )['last_error'], 'why' );
		same( 1750432060, $GLOBALS['tidings_test']['queue'][1]['when'], 'retried later' );
	}
);

test(
	'derives the same site key as the endpoint and generates a secret on activation',
	static function () {
		same( 'shop.example.test', Tidings_Settings::site_key( 'https://Shop.example.test/' ), 'host' );
		same( 'example.com/shop', Tidings_Settings::site_key( 'https://example.com/shop/' ), 'subdirectory' );
		same( '127.0.0.1:8080', Tidings_Settings::site_key( 'http://127.0.0.1:8080' ), 'port' );
		Tidings_Settings::activate();
		$settings = Tidings_Settings::get();
		same( 64, strlen( $settings['secret'] ), 'a 32-byte hex secret' );
		same( 'shop.example.test', $settings['site_id'], 'site key' );
	}
);

test(
	'sanitizes settings: https only, an empty secret keeps the current one, a short one is refused',
	static function () {
		configure();
		$kept = Tidings_Settings::sanitize( array( 'endpoint_url' => 'http://tidings.example.test/woocommerce/events', 'site_id' => ' <b>shop</b> ', 'secret' => '' ) );
		same( 'https://tidings.example.test/woocommerce/events', $kept['endpoint_url'], 'plain http refused' );
		same( 'shop', $kept['site_id'], 'tags stripped' );
		same( 'plugin-secret-0123456789abcdef', $kept['secret'], 'secret kept' );
		$short = Tidings_Settings::sanitize( array( 'endpoint_url' => 'http://127.0.0.1:3000/woocommerce/events', 'secret' => 'short' ) );
		same( 'http://127.0.0.1:3000/woocommerce/events', $short['endpoint_url'], 'loopback http allowed' );
		same( 'plugin-secret-0123456789abcdef', $short['secret'], 'short secret refused' );
	}
);

test(
	'pings with a signed request for "Test connection" and reports the endpoint’s refusal',
	static function () {
		configure();
		answer( 401, array(), '{"error":{"code":"bad_signature"}}' );
		$result = Tidings_Delivery::ping();
		same( false, $result['ok'], 'refused' );
		check( false !== strpos( $result['message'], 'HTTP 401 bad_signature' ), 'names the code' );
		$body = json_decode( $GLOBALS['tidings_test']['requests'][0]['body'], true );
		same( 'ping', $body['event'], 'a ping' );
		same( true, Tidings_Delivery::ping()['ok'], 'accepted' );
	}
);

run_tests();
