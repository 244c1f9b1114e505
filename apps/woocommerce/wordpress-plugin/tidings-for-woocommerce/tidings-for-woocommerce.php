<?php
/**
 * Plugin Name:          Tidings for WooCommerce
 * Description:          Sends every order status change, with its previous status, to Tidings: signed, queued on Action Scheduler and retried until delivered, so a down endpoint loses nothing.
 * Version:              0.1.0
 * Requires at least:    6.8
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * Author:               Tidings
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          tidings-for-woocommerce
 * WC requires at least: 10.0
 * WC tested up to:      10.4
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

define( 'TIDINGS_VERSION', '0.1.0' );
define( 'TIDINGS_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-tidings-signer.php';
require_once __DIR__ . '/includes/class-tidings-settings.php';
require_once __DIR__ . '/includes/class-tidings-payload.php';
require_once __DIR__ . '/includes/class-tidings-delivery.php';
require_once __DIR__ . '/includes/class-tidings-plugin.php';

add_action( 'before_woocommerce_init', array( 'Tidings_Plugin', 'declare_compatibility' ) );
register_activation_hook( __FILE__, array( 'Tidings_Settings', 'activate' ) );
add_action( 'plugins_loaded', array( 'Tidings_Plugin', 'boot' ) );
