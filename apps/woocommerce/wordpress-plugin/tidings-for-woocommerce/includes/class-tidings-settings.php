<?php
/**
 * The settings page under WooCommerce: endpoint URL, site key and secret, "Test connection",
 * "Generate a new secret" and "Send undelivered again". Every action checks the
 * manage_woocommerce capability and a nonce; every value is sanitized on save and escaped on
 * output. The stored secret is never written into the page: it is shown once, to the user who
 * generated it (as WordPress shows an application password once), and otherwise only its last
 * four characters, for comparison.
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
	/** Transient prefix, per user: show the current secret on this user's next page view. */
	const REVEAL = 'tidings_reveal_';
	/** Transient prefix, per user: the result of the last action, shown on the next page view. */
	const NOTICE = 'tidings_notice_';
	/** Hosts an endpoint may be reached on over plain http (a Tidings on the same machine). */
	const LOOPBACK_HOSTS = array( 'localhost', '127.0.0.1', '[::1]' );

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
			self::reveal_secret();
		}
	}

	/**
	 * Lets the current user see the secret once, on their next view of the page.
	 */
	private static function reveal_secret() {
		set_transient( self::REVEAL . get_current_user_id(), 1, 3600 );
	}

	/**
	 * Hooks the page, the setting and the two admin-post actions.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_init', array( __CLASS__, 'register_setting' ) );
		add_action( 'admin_post_tidings_test_connection', array( __CLASS__, 'handle_test_connection' ) );
		add_action( 'admin_post_tidings_send_undelivered', array( __CLASS__, 'handle_send_undelivered' ) );
		add_action( 'admin_post_tidings_new_secret', array( __CLASS__, 'handle_new_secret' ) );
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
	 * Cleans what the form sent. An empty secret field keeps the current secret. Applying it to
	 * its own result changes nothing (WordPress runs it twice when the option is first added).
	 *
	 * @param mixed $input The submitted values.
	 * @return array{endpoint_url: string, site_id: string, secret: string}
	 */
	public static function sanitize( $input ) {
		$current = self::get();
		$input   = is_array( $input ) ? $input : array();
		$raw     = isset( $input['endpoint_url'] ) && is_string( $input['endpoint_url'] ) ? trim( $input['endpoint_url'] ) : '';
		$url     = '' === $raw ? '' : esc_url_raw( $raw, array( 'https', 'http' ) );
		if ( '' !== $raw && ! self::is_allowed_endpoint( $url ) ) {
			add_settings_error( self::OPTION, 'tidings_endpoint_https', __( 'The endpoint must be an https:// URL (plain http only to localhost); the previous one is kept.', 'tidings-for-woocommerce' ) );
			$url = $current['endpoint_url'];
		}
		$site_id = isset( $input['site_id'] ) && is_string( $input['site_id'] ) ? sanitize_text_field( $input['site_id'] ) : '';
		$secret  = isset( $input['secret'] ) && is_string( $input['secret'] ) ? trim( sanitize_text_field( $input['secret'] ) ) : '';
		if ( '' === $secret ) {
			if ( '' !== $current['secret'] ) {
				$secret = $current['secret'];
			} else {
				$secret = self::new_secret();
				self::reveal_secret();
			}
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
	 * Whether Tidings may be reached at this (already esc_url_raw-cleaned) URL: https to any
	 * host, plain http only to this machine, since the secret's signatures and the customers'
	 * data travel in it.
	 *
	 * @param string $url The URL.
	 * @return bool
	 */
	public static function is_allowed_endpoint( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || empty( $parts['scheme'] ) || isset( $parts['user'] ) ) {
			return false;
		}
		$scheme = strtolower( $parts['scheme'] );
		return 'https' === $scheme || ( 'http' === $scheme && in_array( strtolower( $parts['host'] ), self::LOOPBACK_HOSTS, true ) );
	}

	/**
	 * Stops the request unless the current user may manage WooCommerce and the form carries
	 * this action's nonce (check_admin_referer ends a forged request with a 403 itself).
	 *
	 * @param string $action The nonce action, also the admin-post action.
	 */
	private static function authorize( $action ) {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Tidings.', 'tidings-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	/**
	 * Back to the page, where the notice is shown.
	 *
	 * @param array{ok: bool, message: string} $notice What happened.
	 */
	private static function finish( array $notice ) {
		set_transient( self::NOTICE . get_current_user_id(), $notice, 60 );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::PAGE ) );
		exit;
	}

	/**
	 * The page.
	 */
	public static function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Tidings.', 'tidings-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		$settings = self::get();
		$user     = get_current_user_id();
		$notice   = get_transient( self::NOTICE . $user );
		$reveal   = false !== get_transient( self::REVEAL . $user );
		delete_transient( self::NOTICE . $user );
		delete_transient( self::REVEAL . $user );
		$waiting = Tidings_Delivery::undelivered_count();
		echo '<div class="wrap"><h1>' . esc_html__( 'Tidings', 'tidings-for-woocommerce' ) . '</h1>';
		if ( is_array( $notice ) && isset( $notice['message'] ) ) {
			printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( ! empty( $notice['ok'] ) ? 'success' : 'error' ), esc_html( $notice['message'] ) );
		}
		// All settings errors: options.php files "Settings saved." under "general", not under ours.
		settings_errors();
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
			'<tr><th scope="row"><label for="tidings-secret">%1$s</label></th><td><input id="tidings-secret" class="regular-text code" type="password" autocomplete="new-password" name="%2$s[secret]" value="" placeholder="%3$s"><p class="description">%4$s</p></td></tr>',
			esc_html__( 'Secret', 'tidings-for-woocommerce' ),
			esc_attr( self::OPTION ),
			esc_attr__( 'leave empty to keep the current secret', 'tidings-for-woocommerce' ),
			self::secret_description( $settings['secret'], $reveal ) // Escaped inside.
		);
		echo '</table>';
		submit_button();
		echo '</form>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="tidings_new_secret">';
		wp_nonce_field( 'tidings_new_secret' );
		submit_button( __( 'Generate a new secret', 'tidings-for-woocommerce' ), 'secondary', 'submit', false );
		echo '<p class="description">' . esc_html__( 'Tidings refuses this site\'s deliveries (they wait and are retried) until its credential has the new secret.', 'tidings-for-woocommerce' ) . '</p>';
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
	 * What the page says about the secret, escaped: the secret itself only when this user just
	 * got a new one; otherwise its last four characters, to compare with Tidings' copy.
	 *
	 * @param string $secret The current secret.
	 * @param bool   $reveal Whether to show it this once.
	 * @return string HTML.
	 */
	private static function secret_description( $secret, $reveal ) {
		if ( '' === $secret ) {
			return esc_html__( 'No secret yet: enter one of at least 16 characters, or generate one.', 'tidings-for-woocommerce' );
		}
		if ( $reveal ) {
			return esc_html__( 'Copy this secret now and give it to Tidings as the site\'s plugin secret; it is not shown again:', 'tidings-for-woocommerce' ) . ' <code>' . esc_html( $secret ) . '</code>';
		}
		/* translators: %s: the secret's last four characters. */
		return esc_html( sprintf( __( 'A secret is set (ending in %s). Tidings must have the same one.', 'tidings-for-woocommerce' ), substr( $secret, -4 ) ) );
	}

	/**
	 * "Test connection": a signed ping, answered on the page.
	 */
	public static function handle_test_connection() {
		self::authorize( 'tidings_test_connection' );
		self::finish( Tidings_Delivery::ping() );
	}

	/**
	 * "Generate a new secret": replaces the secret and shows it to this user once.
	 */
	public static function handle_new_secret() {
		self::authorize( 'tidings_new_secret' );
		$settings           = self::get();
		$settings['secret'] = self::new_secret();
		update_option( self::OPTION, $settings );
		self::reveal_secret();
		self::finish(
			array(
				'ok'      => true,
				'message' => __( 'A new secret was generated. Give it to Tidings now.', 'tidings-for-woocommerce' ),
			)
		);
	}

	/**
	 * "Send undelivered again".
	 */
	public static function handle_send_undelivered() {
		self::authorize( 'tidings_send_undelivered' );
		$count = Tidings_Delivery::requeue_undelivered();
		self::finish(
			array(
				'ok'      => true,
				/* translators: %d: number of deliveries queued. */
				'message' => sprintf( _n( '%d delivery queued again.', '%d deliveries queued again.', $count, 'tidings-for-woocommerce' ), $count ),
			)
		);
	}
}
