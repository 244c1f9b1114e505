<?php
/**
 * Removes everything the plugin stored when it is deleted: its settings, kept deliveries, the
 * undelivered list, notices, and queued actions — on every site of a network.
 *
 * @package Tidings
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Cleans one site.
 */
function tidings_uninstall_site() {
	global $wpdb;
	delete_option( 'tidings_settings' );
	delete_option( 'tidings_undelivered' );
	$like = $wpdb->esc_like( 'tidings_delivery_' ) . '%';
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- no API lists options by prefix; run once, on uninstall.
	$names = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $like ) );
	foreach ( (array) $names as $name ) {
		delete_option( $name );
	}
	$like = $wpdb->esc_like( '_transient_tidings_notice_' ) . '%';
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- as above.
	$names = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $like ) );
	foreach ( (array) $names as $name ) {
		delete_transient( substr( $name, strlen( '_transient_' ) ) );
	}
	if ( function_exists( 'as_unschedule_all_actions' ) ) {
		as_unschedule_all_actions( 'tidings_deliver', array(), 'tidings' );
	}
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $tidings_site_id ) {
		switch_to_blog( $tidings_site_id );
		tidings_uninstall_site();
		restore_current_blog();
	}
} else {
	tidings_uninstall_site();
}
