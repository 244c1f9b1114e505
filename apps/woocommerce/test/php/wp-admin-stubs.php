<?php
/**
 * Stand-ins for the WordPress admin functions the settings page and uninstall.php call: users
 * and capabilities, nonces, transients (kept in options, as WordPress does without an object
 * cache), escaping, the Settings API, options.php's save flow, $wpdb's option lookups, multisite
 * and Action Scheduler's unscheduling. wp_die() and wp_safe_redirect() throw, so a test sees
 * where a request would have ended instead of the script exiting. Not WordPress.
 *
 * @package Tidings\Tests
 */

/** What wp_die() would have answered. */
class Tidings_Test_Die extends Exception {
	public $status;
	public function __construct( $message, $status ) {
		parent::__construct( $message );
		$this->status = $status;
	}
}

/** Where wp_safe_redirect() would have sent the browser. */
class Tidings_Test_Redirect extends Exception {
	public $location;
	public function __construct( $location ) {
		parent::__construct( 'redirect to ' . $location );
		$this->location = $location;
	}
}

/** Who is logged in, and what they may do. */
function tidings_test_login( $user_id, array $caps ) {
	$GLOBALS['tidings_test']['user'] = array(
		'id'   => $user_id,
		'caps' => $caps,
	);
}
function get_current_user_id() {
	return $GLOBALS['tidings_test']['user']['id'];
}
function current_user_can( $capability ) {
	return in_array( $capability, $GLOBALS['tidings_test']['user']['caps'], true );
}

function wp_die( $message = '', $title = '', $args = array() ) {
	// WordPress's default answer is 500; an int $title is the response code.
	$status = is_int( $title ) ? $title : ( isset( $args['response'] ) ? $args['response'] : 500 );
	throw new Tidings_Test_Die( (string) $message, $status );
}
function wp_safe_redirect( $location, $status = 302 ) {
	throw new Tidings_Test_Redirect( $location );
}
function admin_url( $path = '' ) {
	return 'https://Shop.example.test/wp-admin/' . ltrim( $path, '/' );
}

/** A nonce bound to the action and the user, as WordPress's are (without the time tick). */
function wp_create_nonce( $action = -1 ) {
	return substr( hash_hmac( 'sha256', $action . '|' . get_current_user_id(), 'nonce-salt' ), 0, 10 );
}
function wp_verify_nonce( $nonce, $action = -1 ) {
	return is_string( $nonce ) && hash_equals( wp_create_nonce( $action ), $nonce ) ? 1 : false;
}
/** As WordPress's: without a valid nonce in $_REQUEST, wp_nonce_ays() ends the request with a 403. */
function check_admin_referer( $action = -1, $query_arg = '_wpnonce' ) {
	if ( -1 === $action ) {
		throw new Exception( 'check_admin_referer() called without an action' );
	}
	$result = isset( $_REQUEST[ $query_arg ] ) ? wp_verify_nonce( $_REQUEST[ $query_arg ], $action ) : false;
	if ( ! $result ) {
		wp_die( 'The link you followed has expired.', '', array( 'response' => 403 ) );
	}
	return $result;
}
function wp_nonce_field( $action = -1, $name = '_wpnonce', $referer = true, $display = true ) {
	$field = '<input type="hidden" id="' . esc_attr( $name ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( wp_create_nonce( $action ) ) . '" />';
	if ( $display ) {
		echo $field; // phpcs:ignore WordPress.Security.EscapeOutput
	}
	return $field;
}

function set_transient( $name, $value, $expiration = 0 ) {
	update_option( '_transient_' . $name, $value );
	if ( $expiration ) {
		update_option( '_transient_timeout_' . $name, $GLOBALS['tidings_test']['now'] + $expiration );
	}
	return true;
}
function get_transient( $name ) {
	$timeout = get_option( '_transient_timeout_' . $name );
	if ( false !== $timeout && $timeout < $GLOBALS['tidings_test']['now'] ) {
		delete_transient( $name );
		return false;
	}
	return get_option( '_transient_' . $name );
}
function delete_transient( $name ) {
	delete_option( '_transient_timeout_' . $name );
	return delete_option( '_transient_' . $name );
}

function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}
function esc_html__( $text, $domain = 'default' ) {
	return esc_html( $text );
}
function esc_attr__( $text, $domain = 'default' ) {
	return esc_attr( $text );
}
function _n( $single, $plural, $number, $domain = 'default' ) {
	return 1 === (int) $number ? $single : $plural;
}
/** As WordPress's for display: only http(s), HTML-escaped. */
function esc_url( $url ) {
	$scheme = wp_parse_url( (string) $url, PHP_URL_SCHEME );
	return in_array( $scheme, array( 'http', 'https' ), true ) ? htmlspecialchars( (string) $url, ENT_QUOTES ) : '';
}
/** As WordPress's for storage: '' for a protocol outside $protocols or a malformed URL. */
function esc_url_raw( $url, $protocols = null ) {
	$scheme = wp_parse_url( (string) $url, PHP_URL_SCHEME );
	$allowed = null === $protocols ? array( 'http', 'https' ) : $protocols;
	return filter_var( $url, FILTER_VALIDATE_URL ) && in_array( $scheme, $allowed, true ) ? (string) $url : '';
}

function do_action( $hook, ...$args ) {
	foreach ( isset( $GLOBALS['tidings_test']['actions'][ $hook ] ) ? $GLOBALS['tidings_test']['actions'][ $hook ] : array() as $callback ) {
		call_user_func_array( $callback, $args );
	}
}
function add_submenu_page( $parent, $page_title, $menu_title, $capability, $slug, $callback ) {
	$GLOBALS['tidings_test']['pages'][ $slug ] = compact( 'parent', 'capability', 'callback' );
	return $slug;
}
/** As WordPress's: the sanitize callback becomes a sanitize_option_{$option} filter. */
function register_setting( $group, $option, $args = array() ) {
	$GLOBALS['tidings_test']['settings'][ $option ] = array( 'group' => $group ) + $args;
	if ( isset( $args['sanitize_callback'] ) ) {
		add_filter( 'sanitize_option_' . $option, $args['sanitize_callback'] );
	}
}
function sanitize_option( $option, $value ) {
	return apply_filters( 'sanitize_option_' . $option, $value );
}
function add_settings_error( $setting, $code, $message, $type = 'error' ) {
	$GLOBALS['tidings_test']['settings_errors'][] = compact( 'setting', 'code', 'message', 'type' );
}
function settings_errors( $setting = '' ) {
	foreach ( $GLOBALS['tidings_test']['settings_errors'] as $error ) {
		if ( '' === $setting || $setting === $error['setting'] ) {
			echo '<div id="setting-error-' . esc_attr( $error['code'] ) . '" class="notice notice-' . esc_attr( $error['type'] ) . '"><p>' . esc_html( $error['message'] ) . '</p></div>';
		}
	}
}
function settings_fields( $option_group ) {
	echo '<input type="hidden" name="option_page" value="' . esc_attr( $option_group ) . '" />';
	echo '<input type="hidden" name="action" value="update" />';
	wp_nonce_field( $option_group . '-options' );
}
function submit_button( $text = null, $type = 'primary', $name = 'submit', $wrap = true ) {
	echo '<input type="submit" name="' . esc_attr( $name ) . '" class="button button-' . esc_attr( $type ) . '" value="' . esc_attr( null === $text ? 'Save Changes' : $text ) . '" />';
}

/**
 * wp-admin/options.php's save of a settings form, reduced to what guards it: the capability
 * (manage_options unless the option_page_capability_{$option_page} filter says otherwise), the
 * "{$option_page}-options" nonce, then update_option() (which sanitizes) for each option
 * registered in that group, and a redirect back.
 */
function tidings_test_options_php() {
	$option_page = isset( $_POST['option_page'] ) ? $_POST['option_page'] : '';
	$capability  = apply_filters( 'option_page_capability_' . $option_page, 'manage_options' );
	if ( ! current_user_can( $capability ) ) {
		wp_die( 'Sorry, you are not allowed to manage options for this site.', 403 );
	}
	check_admin_referer( $option_page . '-options' );
	foreach ( $GLOBALS['tidings_test']['settings'] as $option => $setting ) {
		if ( $setting['group'] === $option_page ) {
			update_option( $option, isset( $_POST[ $option ] ) ? $_POST[ $option ] : null );
		}
	}
	wp_safe_redirect( admin_url( 'admin.php?page=' . $option_page . '&settings-updated=true' ) );
}

/** Just enough $wpdb for option lookups by prefix: prepare() quotes, LIKE is evaluated. */
class Tidings_Test_Wpdb {
	public $options = 'wp_options';
	public function esc_like( $text ) {
		return addcslashes( $text, '_%\\' );
	}
	public function prepare( $query, ...$args ) {
		$quoted = array_map(
			static function ( $arg ) {
				return "'" . addslashes( (string) $arg ) . "'";
			},
			$args
		);
		return vsprintf( $query, $quoted );
	}
	public function get_col( $query ) {
		if ( ! preg_match( "/^SELECT option_name FROM wp_options WHERE option_name LIKE '((?:[^'\\\\]|\\\\.)*)'$/", $query, $m ) ) {
			throw new Exception( 'unexpected query: ' . $query );
		}
		$regex = tidings_test_like_regex( stripslashes( $m[1] ) );
		return array_values( preg_grep( $regex, array_keys( $GLOBALS['tidings_test']['options'] ) ) );
	}
}
/** A LIKE pattern as a regular expression: % any run, _ any one character, \ escapes. */
function tidings_test_like_regex( $pattern ) {
	$regex = '';
	for ( $i = 0; $i < strlen( $pattern ); $i++ ) {
		$c = $pattern[ $i ];
		if ( '\\' === $c && $i + 1 < strlen( $pattern ) ) {
			$regex .= preg_quote( $pattern[ ++$i ], '/' );
		} elseif ( '%' === $c ) {
			$regex .= '.*';
		} elseif ( '_' === $c ) {
			$regex .= '.';
		} else {
			$regex .= preg_quote( $c, '/' );
		}
	}
	return '/^' . $regex . '$/s';
}
$GLOBALS['wpdb'] = new Tidings_Test_Wpdb();

/** Multisite: each site has its own options and its own Action Scheduler queue. */
function is_multisite() {
	return ! empty( $GLOBALS['tidings_test']['multisite'] );
}
/** As WordPress's: at most 'number' sites, 100 unless told; 0 means all. */
function get_sites( $args = array() ) {
	$ids    = array_keys( $GLOBALS['tidings_test']['blogs'] );
	$number = isset( $args['number'] ) ? (int) $args['number'] : 100;
	return $number > 0 ? array_slice( $ids, 0, $number ) : $ids;
}
/** Puts the current site's options and queue away and loads site $id's. */
function tidings_test_use_blog( $id ) {
	$t                        = &$GLOBALS['tidings_test'];
	$t['blogs'][ $t['blog'] ] = array(
		'options' => $t['options'],
		'queue'   => $t['queue'],
	);
	$t['blog']                = $id;
	$t['options']             = isset( $t['blogs'][ $id ] ) ? $t['blogs'][ $id ]['options'] : array();
	$t['queue']               = isset( $t['blogs'][ $id ] ) ? $t['blogs'][ $id ]['queue'] : array();
}
function switch_to_blog( $id ) {
	$GLOBALS['tidings_test']['blog_stack'][] = $GLOBALS['tidings_test']['blog'];
	tidings_test_use_blog( $id );
	return true;
}
function restore_current_blog() {
	if ( empty( $GLOBALS['tidings_test']['blog_stack'] ) ) {
		return false;
	}
	tidings_test_use_blog( array_pop( $GLOBALS['tidings_test']['blog_stack'] ) );
	return true;
}

/**
 * Action Scheduler's as_unschedule_all_actions() (woocommerce/action-scheduler functions.php):
 * no args and only a hook cancels every pending action of the hook; no args and only a group,
 * every one of the group; otherwise only those with this hook, group and exactly these args.
 */
function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	foreach ( $GLOBALS['tidings_test']['queue'] as &$action ) {
		if ( ! empty( $action['canceled'] ) ) {
			continue;
		}
		if ( empty( $args ) && '' !== $hook && '' === $group ) {
			$match = $action['hook'] === $hook;
		} elseif ( empty( $args ) && '' === $hook && '' !== $group ) {
			$match = $action['group'] === $group;
		} else {
			$match = $action['hook'] === $hook && ( '' === $group || $action['group'] === $group ) && $action['args'] === (array) $args;
		}
		if ( $match ) {
			$action['canceled'] = true;
		}
	}
}
