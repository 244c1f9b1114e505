<?php
/**
 * For the uninstall test: fills each site the way the plugin does (settings, a pending and a
 * refused delivery, a notice and a secret reveal, queued actions) beside another plugin's data,
 * then runs uninstall.php — with WP_UNINSTALL_PLUGIN defined or not, on one site or a network —
 * and prints what each site has left: option names and pending actions.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';
require __DIR__ . '/wp-stubs.php';

$input = input();
tidings_test_reset();

/** One site as the plugin leaves it after some use, beside another plugin's option and action. */
function tidings_test_fill_site() {
	update_option( 'blogname', 'Example Shop' );
	// LIKE's "_" matches any character: an unescaped prefix would take this one too.
	update_option( 'tidings-delivery-log', 'another plugin’s' );
	WC()->queue()->add( 'other_plugin_hook', array( 1 ), 'other' );
	Tidings_Settings::activate();
	$settings                 = Tidings_Settings::get();
	$settings['endpoint_url'] = 'https://tidings.example.test/woocommerce/events';
	update_option( 'tidings_settings', $settings );
	$pending = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
	$refused = Tidings_Delivery::enqueue( array( 'schema' => 1 ) );
	$GLOBALS['tidings_test']['responses'][] = array( 'response' => array( 'code' => 503 ), 'headers' => array(), 'body' => '' );
	Tidings_Delivery::deliver( $pending );
	$GLOBALS['tidings_test']['responses'][] = array( 'response' => array( 'code' => 422 ), 'headers' => array(), 'body' => '' );
	try {
		Tidings_Delivery::deliver( $refused );
	} catch ( Exception $e ) {
		// Kept and listed as undelivered, as intended.
	}
	set_transient( 'tidings_notice_1', array( 'ok' => true, 'message' => 'queued' ), 60 );
}

$sites = isset( $input['sites'] ) ? (int) $input['sites'] : 1;
for ( $id = 1; $id <= $sites; $id++ ) {
	switch_to_blog( $id );
	tidings_test_fill_site();
	restore_current_blog();
}
$GLOBALS['tidings_test']['multisite'] = $sites > 1;

register_shutdown_function(
	static function () {
		// Park the current site too, so every site is read the same way.
		switch_to_blog( 1 );
		$left = array();
		foreach ( $GLOBALS['tidings_test']['blogs'] as $id => $blog ) {
			$names = array_keys( $blog['options'] );
			sort( $names );
			$pending = array();
			foreach ( $blog['queue'] as $action ) {
				if ( empty( $action['canceled'] ) ) {
					$pending[] = $action['hook'];
				}
			}
			$left[ $id ] = array(
				'options' => $names,
				'pending' => $pending,
			);
		}
		echo json_encode( $left );
	}
);

if ( ! empty( $input['uninstalling'] ) ) {
	define( 'WP_UNINSTALL_PLUGIN', 'tidings-for-woocommerce/tidings-for-woocommerce.php' );
}
require '/plugin/uninstall.php';
