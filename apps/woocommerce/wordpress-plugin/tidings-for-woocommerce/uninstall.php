<?php
/**
 * Removes everything the plugin stored when it is deleted: its settings, kept deliveries, the
 * undelivered list, per-user notices, and queued actions — on every site of a network.
 *
 * @package Tidings
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Option names of this site that start with $prefix (LIKE wildcards in it escaped).
 *
 * @param string $prefix The prefix.
 * @return string[]
 */
function tidings_uninstall_option_names( $prefix ) {
	global $wpdb;
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- no API lists options by prefix; run once, on uninstall.
	$names = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( $prefix ) . '%' ) );
	return is_array( $names ) ? $names : array();
}

/**
 * Cleans one site.
 */
function tidings_uninstall_site() {
	delete_option( 'tidings_settings' );
	delete_option( 'tidings_undelivered' );
	foreach ( tidings_uninstall_option_names( 'tidings_delivery_' ) as $name ) {
		delete_option( $name );
	}
	// Notices and one-time secret reveals (with a persistent object cache they live there
	// instead, and expire within the hour).
	foreach ( array( 'tidings_notice_', 'tidings_reveal_' ) as $transient ) {
		foreach ( tidings_uninstall_option_names( '_transient_' . $transient ) as $name ) {
			delete_transient( substr( $name, strlen( '_transient_' ) ) );
		}
	}
	// The hook alone: Action Scheduler then cancels every pending action of the hook. Given a
	// group too, with no arguments, it would cancel only actions whose arguments are exactly
	// [] — none of ours (woocommerce/action-scheduler functions.php, as_unschedule_all_actions).
	if ( function_exists( 'as_unschedule_all_actions' ) ) {
		as_unschedule_all_actions( 'tidings_deliver' );
	}
}

if ( is_multisite() ) {
	// 'number' => 0: get_sites() returns at most 100 sites unless told otherwise.
	foreach ( get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	) as $tidings_site_id ) {
		switch_to_blog( $tidings_site_id );
		tidings_uninstall_site();
		restore_current_blog();
	}
} else {
	tidings_uninstall_site();
}
