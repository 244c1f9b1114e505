<?php
/**
 * The settings page, its admin actions and their guards, run on real PHP with the stand-ins in
 * wp-stubs.php and wp-admin-stubs.php: forms are rendered, their hidden fields (nonces) read
 * back and submitted as a browser would, and forged submissions must be refused.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';
require __DIR__ . '/wp-stubs.php';

const SECRET = 'plugin-secret-0123456789abcdef';

function configure( array $over = array() ) {
	update_option(
		'tidings_settings',
		$over + array(
			'endpoint_url' => 'https://tidings.example.test/woocommerce/events',
			'site_id'      => 'shop.example.test',
			'secret'       => SECRET,
		)
	);
}

/** WordPress's admin bootstrap for this plugin: plugins_loaded, admin_menu, admin_init. */
function boot_admin() {
	Tidings_Plugin::boot();
	do_action( 'admin_menu' );
	do_action( 'admin_init' );
}

/** The page as the current user would get it. */
function render() {
	ob_start();
	try {
		call_user_func( $GLOBALS['tidings_test']['pages']['tidings']['callback'] );
	} finally {
		$html = ob_get_clean();
	}
	return $html;
}

/** The hidden fields of the form on $html whose "action" field is $action. */
function form_fields( $html, $action ) {
	preg_match_all( '#<form\b.*?</form>#s', $html, $forms );
	foreach ( $forms[0] as $form ) {
		preg_match_all( '#<input type="hidden"[^>]*?name="([^"]+)" value="([^"]*)"#', $form, $fields, PREG_SET_ORDER );
		$values = array();
		foreach ( $fields as $field ) {
			$values[ $field[1] ] = html_entity_decode( $field[2], ENT_QUOTES );
		}
		if ( isset( $values['action'] ) && $values['action'] === $action ) {
			return $values;
		}
	}
	throw new Exception( "no form with action $action on the page" );
}

/**
 * Submits $fields as a POST, to options.php (action "update") or admin-post.php (anything
 * else): the outcome is where WordPress would have redirected, or the status it died with.
 */
function submit( array $fields ) {
	$_POST    = $fields;
	$_REQUEST = $fields;
	try {
		if ( 'update' === $fields['action'] ) {
			tidings_test_options_php();
		} else {
			do_action( 'admin_post_' . $fields['action'] );
		}
	} catch ( Tidings_Test_Redirect $redirect ) {
		return 'redirect ' . $redirect->location;
	} catch ( Tidings_Test_Die $die ) {
		return 'die ' . $die->status;
	} finally {
		$_POST    = array();
		$_REQUEST = array();
	}
	throw new Exception( 'the request neither redirected nor died' );
}

function answer( $code, $body = '{}' ) {
	$GLOBALS['tidings_test']['responses'][] = array(
		'response' => array( 'code' => $code ),
		'headers'  => array(),
		'body'     => $body,
	);
}

const BACK = 'redirect https://Shop.example.test/wp-admin/admin.php?page=tidings';

test(
	'puts the page under WooCommerce for users who can manage WooCommerce, and registers the setting',
	static function () {
		boot_admin();
		$page = $GLOBALS['tidings_test']['pages']['tidings'];
		same( array( 'woocommerce', 'manage_woocommerce' ), array( $page['parent'], $page['capability'] ), 'submenu' );
		$setting = $GLOBALS['tidings_test']['settings']['tidings_settings'];
		same( array( 'tidings', array( 'Tidings_Settings', 'sanitize' ), false ), array( $setting['group'], $setting['sanitize_callback'], $setting['show_in_rest'] ), 'setting' );
		same( 'manage_woocommerce', apply_filters( 'option_page_capability_tidings', 'manage_options' ), 'options.php asks for manage_woocommerce' );
	}
);

test(
	'saves the form through options.php for a shop manager, sanitized; a forged or unauthorised save changes nothing',
	static function () {
		boot_admin();
		configure();
		tidings_test_login( 5, array( 'manage_woocommerce' ) ); // A shop manager: no manage_options.
		$form    = form_fields( render(), 'update' );
		$entered = array(
			'endpoint_url' => ' https://hub.example.test/woocommerce/events ',
			'site_id'      => 'shop.example.test',
			'secret'       => '',
		);
		same( BACK . '&settings-updated=true', submit( $form + array( 'tidings_settings' => $entered ) ), 'saved' );
		same( array( 'https://hub.example.test/woocommerce/events', 'shop.example.test', SECRET ), array_values( Tidings_Settings::get() ), 'url trimmed, empty secret keeps the current one' );

		$attack = array( 'tidings_settings' => array( 'endpoint_url' => 'https://evil.example/collect' ) + $entered );
		same( 'die 403', submit( array( '_wpnonce' => 'forged' ) + $form + $attack ), 'a forged nonce' );
		$without = $form;
		unset( $without['_wpnonce'] );
		same( 'die 403', submit( $without + $attack ), 'no nonce' );
		tidings_test_login( 6, array( 'edit_posts' ) );
		same( 'die 403', submit( $form + $attack ), 'a user who may not manage WooCommerce' );
		same( 'https://hub.example.test/woocommerce/events', Tidings_Settings::get()['endpoint_url'], 'unchanged' );
	}
);

test(
	'accepts an https endpoint anywhere and plain http only to this machine',
	static function () {
		configure();
		$cases = array(
			'https://tidings.example.com/woocommerce/events' => true,
			'http://localhost:3000/woocommerce/events'       => true,
			'http://127.0.0.1:3000/woocommerce/events'       => true,
			'http://[::1]:3000/woocommerce/events'           => true,
			'http://tidings.example.com/woocommerce/events'  => false,
			'http://localhost.evil.example/woocommerce/events' => false,
			'http://127.0.0.1@evil.example/woocommerce/events' => false,
			'https://user:pass@tidings.example.com/events'   => false,
			'javascript:alert(1)'                            => false,
			'ftp://tidings.example.com/'                     => false,
			'not a url'                                      => false,
		);
		foreach ( $cases as $url => $accepted ) {
			$GLOBALS['tidings_test']['settings_errors'] = array();
			$saved = Tidings_Settings::sanitize( array( 'endpoint_url' => $url ) );
			same( $accepted ? $url : 'https://tidings.example.test/woocommerce/events', $saved['endpoint_url'], $url );
			same( $accepted ? array() : array( 'tidings_endpoint_https' ), array_column( $GLOBALS['tidings_test']['settings_errors'], 'code' ), "$url: error" );
		}
		same( '', Tidings_Settings::sanitize( array( 'endpoint_url' => '' ) )['endpoint_url'], 'emptied on purpose' );
		same( '', Tidings_Settings::sanitize( array( 'endpoint_url' => array( 'x' ) ) )['endpoint_url'], 'not a string' );
	}
);

test(
	'gives the same result when its own output is sanitized again (WordPress does so on first save)',
	static function () {
		$once = Tidings_Settings::sanitize( array( 'endpoint_url' => 'https://tidings.example.com/e', 'site_id' => ' <i>shop</i> ', 'secret' => '' ) );
		update_option( 'tidings_settings', $once );
		same( $once, Tidings_Settings::sanitize( $once ), 'idempotent' );
		same( 64, strlen( $once['secret'] ), 'a secret generated when there was none' );
	}
);

test(
	'never writes the stored secret into the page; shows a generated one once, to the user who generated it',
	static function () {
		boot_admin();
		configure();
		$html = render();
		check( false === strpos( $html, SECRET ), 'the stored secret is not on the page' );
		check( false !== strpos( $html, 'ending in cdef' ), 'its last four characters are' );
		check( 1 === preg_match( '#<input id="tidings-secret"[^>]*type="password"[^>]*value=""#', $html ), 'the secret field is empty' );

		same( BACK, submit( form_fields( $html, 'tidings_new_secret' ) ), 'generated' );
		$secret = Tidings_Settings::get()['secret'];
		check( 1 === preg_match( '/^[0-9a-f]{64}$/', $secret ) && SECRET !== $secret, 'a new 32-byte secret' );
		tidings_test_login( 2, array( 'manage_woocommerce' ) );
		check( false === strpos( render(), $secret ), 'another user does not see it' );
		tidings_test_login( 1, array( 'manage_woocommerce' ) );
		$html = render();
		check( false !== strpos( $html, '<code>' . $secret . '</code>' ), 'the user who generated it sees it' );
		check( false !== strpos( $html, 'A new secret was generated' ), 'and why' );
		check( false === strpos( render(), $secret ), 'once' );
	}
);

test(
	'shows the secret generated on activation once, to the user who activated the plugin',
	static function () {
		boot_admin();
		Tidings_Settings::activate();
		$secret = Tidings_Settings::get()['secret'];
		check( false !== strpos( render(), $secret ), 'shown' );
		check( false === strpos( render(), $secret ), 'not again' );
	}
);

test(
	'refuses every admin action without its nonce, with another action’s nonce, or for a user who may not manage WooCommerce',
	static function () {
		boot_admin();
		configure();
		Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		answer( 422 );
		try {
			Tidings_Delivery::deliver( $GLOBALS['tidings_test']['queue'][0]['args'][0] );
		} catch ( Exception $refused ) {
			// Kept, and offered for sending again: the page now has all three action forms.
		}
		$html     = render();
		$requests = count( $GLOBALS['tidings_test']['requests'] );
		$queued   = count( $GLOBALS['tidings_test']['queue'] );
		foreach ( array( 'tidings_test_connection', 'tidings_new_secret', 'tidings_send_undelivered' ) as $action ) {
			$form = form_fields( $html, $action );
			same( 'die 403', submit( array( 'action' => $action ) ), "$action without a nonce" );
			same( 'die 403', submit( array( '_wpnonce' => wp_create_nonce( 'tidings-options' ) ) + $form ), "$action with the settings form’s nonce" );
			tidings_test_login( 7, array( 'edit_posts' ) );
			same( 'die 403', submit( $form ), "$action by an editor" );
			tidings_test_login( 1, array( 'manage_woocommerce' ) );
		}
		same( array( $requests, $queued, SECRET, 1 ), array( count( $GLOBALS['tidings_test']['requests'] ), count( $GLOBALS['tidings_test']['queue'] ), Tidings_Settings::get()['secret'], Tidings_Delivery::undelivered_count() ), 'nothing happened' );
		tidings_test_login( 7, array( 'edit_posts' ) );
		$status = '';
		try {
			render();
		} catch ( Tidings_Test_Die $die ) {
			$status = $die->status;
		}
		same( 403, $status, 'the page itself' );
	}
);

test(
	'tests the connection with a signed ping to the endpoint and shows the answer on the page',
	static function () {
		boot_admin();
		configure();
		$form = form_fields( render(), 'tidings_test_connection' );
		same( BACK, submit( $form ), 'back to the page' );
		$ping = $GLOBALS['tidings_test']['requests'][0];
		same( 'https://tidings.example.test/woocommerce/events', $ping['url'], 'to the endpoint' );
		same( 'ping', json_decode( $ping['body'], true )['event'], 'a ping' );
		$h = $ping['headers'];
		same( 'v1=' . hash_hmac( 'sha256', $h['X-Tidings-Timestamp'] . '.' . $h['X-Tidings-Delivery'] . '.' . $ping['body'], SECRET ), $h['X-Tidings-Signature'], 'signed with the secret' );
		same( 'shop.example.test', $h['X-Tidings-Site'], 'as this site' );
		check( 1 === preg_match( '~<div class="notice notice-success"><p>Tidings answered and accepted this site&#0?39;s signature.</p></div>~', render() ), 'success shown' );

		answer( 401, '{"error":{"code":"bad_signature","message":"…"}}' );
		submit( $form );
		check( false !== strpos( render(), '<div class="notice notice-error"><p>Tidings did not accept the test: HTTP 401 bad_signature</p></div>' ), 'the refusal named' );
		configure( array( 'endpoint_url' => '' ) );
		submit( $form );
		check( false !== strpos( render(), 'Set the endpoint URL and the secret first.' ), 'not configured' );
		same( 2, count( $GLOBALS['tidings_test']['requests'] ), 'no request without an endpoint' );
	}
);

test(
	'escapes what it prints: injected markup in the settings and in the endpoint’s answer stays text',
	static function () {
		boot_admin();
		// Written straight to the database, past sanitize(), as a compromised or hand-edited row would be.
		$GLOBALS['tidings_test']['options']['tidings_settings'] = array(
			'endpoint_url' => 'https://x.example/"><script>alert(1)</script>',
			'site_id'      => '"><script>alert(2)</script>',
			'secret'       => SECRET,
		);
		answer( 502, '{"error":{"code":"<script>alert(3)</script>"}}' );
		submit( form_fields( render(), 'tidings_test_connection' ) );
		$html = render();
		check( false === stripos( $html, '<script' ), 'no script element: ' . $html );
		foreach ( array( 'value="https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', 'value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"', 'HTTP 502 &lt;script&gt;alert(3)&lt;/script&gt;' ) as $escaped ) {
			check( false !== strpos( $html, $escaped ), "escaped: $escaped" );
		}
	}
);

test(
	'offers the undelivered changes again and queues them on request',
	static function () {
		boot_admin();
		configure();
		check( false === strpos( render(), 'tidings_send_undelivered' ), 'no button while none wait' );
		$id = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
		answer( 422, '{"error":{"code":"unknown_status"}}' );
		try {
			Tidings_Delivery::deliver( $id );
		} catch ( Exception $refused ) {
			// Action Scheduler records the refusal; the delivery is kept.
		}
		$html = render();
		check( false !== strpos( $html, 'value="Send 1 undelivered status change again"' ), 'the button counts them' );
		same( BACK, submit( form_fields( $html, 'tidings_send_undelivered' ) ), 'sent again' );
		same( array( $id ), end( $GLOBALS['tidings_test']['queue'] )['args'], 'queued with its delivery id' );
		check( false !== strpos( render(), '1 delivery queued again.' ), 'reported' );
	}
);

run_tests();
