<?php
/**
 * The settings page under WooCommerce: endpoint URL, site key and secret, "Test connection" and
 * "Send undelivered again". Every action checks the manage_woocommerce capability and a nonce;
 * every value is sanitized on save and escaped on output.
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings.
 */
final class Tidings_Settings {

	const OPTION     = 'tidings_settings';
	const PAGE       = 'tidings';
	const CAPABILITY = 'manage_woocommerce';

	/**
	 * The settings, with defaults.
	 *
	 * @return array{endpoint_url: string, site_id: string, secret: string}
	 */
	public static function get() {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array(
			'endpoint_url' => isset( $stored['endpoint_url'] ) ? (string) $stored['endpoint_url'] : '',
			'site_id'      => isset( $stored['site_id'] ) && '' !== $stored['site_id'] ? (string) $stored['site_id'] : self::site_key( home_url() ),
			'secret'       => isset( $stored['secret'] ) ? (string) $stored['secret'] : '',
		);
	}

	/**
	 * The site key Tidings derives from a home URL too: host, port and path, lower-cased, without
	 * scheme or trailing slash ("https://Shop.example.com/" gives "shop.example.com").
	 *
	 * @param string $url A URL.
	 * @return string
	 */
	public static function site_key( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		$key = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) . ( isset( $parts['path'] ) ? rtrim( $parts['path'], '/' ) : '' );
		return strtolower( $key );
	}

	/**
	 * A new random secret: 32 bytes, hex.
	 *
	 * @return string
	 */
	public static function new_secret() {
		return bin2hex( random_bytes( 32 ) );
	}

	/**
	 * On activation: a secret and the site key, so the page shows what to give Tidings.
	 */
	public static function activate() {
		if ( false === get_option( self::OPTION ) ) {
			add_option(
				self::OPTION,
				array(
					'endpoint_url' => '',
					'site_id'      => self::site_key( home_url() ),
					'secret'       => self::new_secret(),
				)
			);
		}
	}

	/**
	 * Hooks the page, the setting and the two admin-post actions.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_init', array( __CLASS__, 'register_setting' ) );
		add_action( 'admin_post_tidings_test_connection', array( __CLASS__, 'handle_test_connection' ) );
		add_action( 'admin_post_tidings_send_undelivered', array( __CLASS__, 'handle_send_undelivered' ) );
	}

	/**
	 * WooCommerce > Tidings.
	 */
	public static function add_page() {
		add_submenu_page( 'woocommerce', __( 'Tidings', 'tidings-for-woocommerce' ), __( 'Tidings', 'tidings-for-woocommerce' ), self::CAPABILITY, self::PAGE, array( __CLASS__, 'render_page' ) );
	}

	/**
	 * The option, saved through options.php (which checks the settings nonce) by users who can
	 * manage WooCommerce.
	 */
	public static function register_setting() {
		register_setting(
			self::PAGE,
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( __CLASS__, 'sanitize' ),
				'show_in_rest'      => false,
			)
		);
		add_filter(
			'option_page_capability_' . self::PAGE,
			static function () {
				return self::CAPABILITY;
			}
		);
	}

	/**
	 * Cleans what the form sent. An empty secret field keeps the current secret.
	 *
	 * @param mixed $input The submitted values.
	 * @return array{endpoint_url: string, site_id: string, secret: string}
	 */
	public static function sanitize( $input ) {
		$current = self::get();
		$input   = is_array( $input ) ? $input : array();
		$url     = isset( $input['endpoint_url'] ) ? esc_url_raw( trim( (string) $input['endpoint_url'] ), array( 'https', 'http' ) ) : '';
		if ( '' !== $url && 0 !== strpos( $url, 'https://' ) && ! preg_match( '#^http://(127\.0\.0\.1|localhost)(:\d+)?/#', $url ) ) {
			add_settings_error( self::OPTION, 'tidings_endpoint_https', __( 'The endpoint must use https:// (plain http only to localhost).', 'tidings-for-woocommerce' ) );
			$url = $current['endpoint_url'];
		}
		$site_id = isset( $input['site_id'] ) ? sanitize_text_field( (string) $input['site_id'] ) : '';
		$secret  = isset( $input['secret'] ) ? trim( sanitize_text_field( (string) $input['secret'] ) ) : '';
		if ( '' === $secret ) {
			$secret = '' !== $current['secret'] ? $current['secret'] : self::new_secret();
		} elseif ( strlen( $secret ) < 16 ) {
			add_settings_error( self::OPTION, 'tidings_secret_short', __( 'The secret must be at least 16 characters; the previous one is kept.', 'tidings-for-woocommerce' ) );
			$secret = $current['secret'];
		}
		return array(
			'endpoint_url' => $url,
			'site_id'      => '' !== $site_id ? $site_id : self::site_key( home_url() ),
			'secret'       => $secret,
		);
	}

	/**
	 * The page.
	 */
	public static function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Tidings.', 'tidings-for-woocommerce' ) );
		}
		$settings = self::get();
		$notice   = get_transient( 'tidings_notice_' . get_current_user_id() );
		delete_transient( 'tidings_notice_' . get_current_user_id() );
		$waiting = Tidings_Delivery::undelivered_count();
		echo '<div class="wrap"><h1>' . esc_html__( 'Tidings', 'tidings-for-woocommerce' ) . '</h1>';
		if ( is_array( $notice ) && isset( $notice['message'] ) ) {
			printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( ! empty( $notice['ok'] ) ? 'success' : 'error' ), esc_html( $notice['message'] ) );
		}
		settings_errors( self::OPTION );
		echo '<form method="post" action="' . esc_url( admin_url( 'options.php' ) ) . '">';
		settings_fields( self::PAGE );
		echo '<table class="form-table" role="presentation">';
		printf(
			'<tr><th scope="row"><label for="tidings-endpoint">%1$s</label></th><td><input id="tidings-endpoint" class="regular-text code" type="url" name="%2$s[endpoint_url]" value="%3$s" placeholder="https://tidings.example.com/woocommerce/events"></td></tr>',
			esc_html__( 'Endpoint URL', 'tidings-for-woocommerce' ),
			esc_attr( self::OPTION ),
			esc_attr( $settings['endpoint_url'] )
		);
		printf(
			'<tr><th scope="row"><label for="tidings-site">%1$s</label></th><td><input id="tidings-site" class="regular-text code" type="text" name="%2$s[site_id]" value="%3$s"><p class="description">%4$s</p></td></tr>',
			esc_html__( 'Site key', 'tidings-for-woocommerce' ),
			esc_attr( self::OPTION ),
			esc_attr( $settings['site_id'] ),
			esc_html__( 'The tenant id Tidings knows this shop by.', 'tidings-for-woocommerce' )
		);
		printf(
			'<tr><th scope="row"><label for="tidings-secret">%1$s</label></th><td><input id="tidings-secret" class="regular-text code" type="password" autocomplete="off" name="%2$s[secret]" value="" placeholder="%3$s"><p class="description">%4$s <code>%5$s</code></p></td></tr>',
			esc_html__( 'Secret', 'tidings-for-woocommerce' ),
			esc_attr( self::OPTION ),
			esc_attr__( 'leave empty to keep the current secret', 'tidings-for-woocommerce' ),
			esc_html__( 'Give Tidings this secret as the site\'s plugin secret:', 'tidings-for-woocommerce' ),
			esc_html( $settings['secret'] )
		);
		echo '</table>';
		submit_button();
		echo '</form>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="tidings_test_connection">';
		wp_nonce_field( 'tidings_test_connection' );
		submit_button( __( 'Test connection', 'tidings-for-woocommerce' ), 'secondary', 'submit', false );
		echo '</form>';
		if ( $waiting > 0 ) {
			echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" style="margin-top:1em">';
			echo '<input type="hidden" name="action" value="tidings_send_undelivered">';
			wp_nonce_field( 'tidings_send_undelivered' );
			/* translators: %d: number of status changes Tidings has not acknowledged. */
			submit_button( sprintf( _n( 'Send %d undelivered status change again', 'Send %d undelivered status changes again', $waiting, 'tidings-for-woocommerce' ), $waiting ), 'secondary', 'submit', false );
			echo '</form>';
		}
		echo '</div>';
	}

	/**
	 * "Test connection": a signed ping, answered on the page.
	 */
	public static function handle_test_connection() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Tidings.', 'tidings-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( 'tidings_test_connection' );
		set_transient( 'tidings_notice_' . get_current_user_id(), Tidings_Delivery::ping(), 60 );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::PAGE ) );
		exit;
	}

	/**
	 * "Send undelivered again".
	 */
	public static function handle_send_undelivered() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Tidings.', 'tidings-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( 'tidings_send_undelivered' );
		$count = Tidings_Delivery::requeue_undelivered();
		set_transient(
			'tidings_notice_' . get_current_user_id(),
			array(
				'ok'      => true,
				/* translators: %d: number of deliveries queued. */
				'message' => sprintf( _n( '%d delivery queued again.', '%d deliveries queued again.', $count, 'tidings-for-woocommerce' ), $count ),
			),
			60
		);
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::PAGE ) );
		exit;
	}
}
