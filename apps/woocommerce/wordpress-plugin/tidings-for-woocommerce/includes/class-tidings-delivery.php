<?php
/**
 * Queues each delivery on Action Scheduler (WC()->queue(), as WooCommerce queues its own
 * webhooks) and sends it as a signed POST, retrying with exponential backoff. The body is kept in
 * an option until Tidings acknowledges it; deliveries that run out of attempts, or that Tidings
 * refuses, stay kept and can be sent again from the settings page: nothing is lost.
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

/**
 * Delivery queue.
 */
final class Tidings_Delivery {

	const HOOK            = 'tidings_deliver';
	const GROUP           = 'tidings';
	const OPTION_PREFIX   = 'tidings_delivery_';
	const UNDELIVERED     = 'tidings_undelivered';
	const MAX_ATTEMPTS    = 15;
	const TIMEOUT_SECONDS = 15;
	const FIRST_DELAY     = 60;
	const MAX_DELAY       = 21600;

	/**
	 * Unix seconds; replaced in tests.
	 *
	 * @var callable
	 */
	public static $clock = 'time';

	/**
	 * Now, in Unix seconds.
	 *
	 * @return int
	 */
	public static function now() {
		return (int) call_user_func( self::$clock );
	}

	/**
	 * Keeps the payload and queues its first attempt.
	 *
	 * @param array<string, mixed> $payload From Tidings_Payload::for_order().
	 * @return string The delivery id.
	 */
	public static function enqueue( array $payload ) {
		$delivery_id             = wp_generate_uuid4();
		$payload['delivery_id']  = $delivery_id;
		$payload['site_url']     = home_url();
		$record                  = array(
			'body'       => wp_json_encode( $payload ),
			'attempts'   => 0,
			'created'    => self::now(),
			'status'     => 'pending',
			'last_error' => '',
		);
		// Not autoloaded: a backlog while Tidings is down must not weigh on every page load.
		add_option( self::OPTION_PREFIX . $delivery_id, $record, '', 'no' );
		WC()->queue()->add( self::HOOK, array( $delivery_id ), self::GROUP );
		return $delivery_id;
	}

	/**
	 * The Action Scheduler callback: one attempt.
	 *
	 * @param string $delivery_id The delivery id.
	 * @throws Exception When Tidings refuses the delivery, so Action Scheduler records it as failed.
	 */
	public static function deliver( $delivery_id ) {
		$key    = self::OPTION_PREFIX . $delivery_id;
		$record = get_option( $key );
		if ( ! is_array( $record ) || 'pending' !== $record['status'] ) {
			return; // Delivered already, or waiting for someone to send it again.
		}
		$settings = Tidings_Settings::get();
		if ( '' === $settings['endpoint_url'] || '' === $settings['secret'] ) {
			self::retry_later( $delivery_id, $record, 'not_configured', 0 );
			return;
		}
		$response = wp_remote_post(
			$settings['endpoint_url'],
			array(
				'timeout'     => self::TIMEOUT_SECONDS,
				'redirection' => 0,
				'headers'     => Tidings_Signer::headers( $settings['site_id'], $settings['secret'], $delivery_id, $record['body'], self::now() ),
				'body'        => $record['body'],
				'data_format' => 'body',
			)
		);
		$result = self::classify( $response );
		if ( 'delivered' === $result['outcome'] ) {
			delete_option( $key );
			return;
		}
		if ( 'rejected' === $result['outcome'] ) {
			$record['status']     = 'rejected';
			$record['last_error'] = $result['error'];
			update_option( $key, $record, false );
			self::remember_undelivered( $delivery_id );
			self::log( 'error', sprintf( 'Tidings refused delivery %s (%s); it is kept and can be sent again from WooCommerce > Tidings.', $delivery_id, $result['error'] ) );
			throw new Exception( esc_html( sprintf( 'Tidings refused delivery %s: %s', $delivery_id, $result['error'] ) ) );
		}
		self::retry_later( $delivery_id, $record, $result['error'], $result['retry_after'] );
	}

	/**
	 * What an answer means: delivered (2xx; 409 is Tidings saying it already has this exact
	 * request), rejected (the same bytes will never be accepted: 400, 413, 415, 422), or retry
	 * (network errors, 5xx, 429, and 401/403/404, which a fixed setting cures).
	 *
	 * @param array|WP_Error $response From wp_remote_post().
	 * @return array{outcome: string, error: string, retry_after: int}
	 */
	public static function classify( $response ) {
		if ( is_wp_error( $response ) ) {
			return array(
				'outcome'     => 'retry',
				'error'       => 'unreachable: ' . $response->get_error_code(),
				'retry_after' => 0,
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$code   = '';
		$body   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( is_array( $body ) && isset( $body['error']['code'] ) && is_string( $body['error']['code'] ) ) {
			$code = $body['error']['code'];
		}
		$error = trim( 'HTTP ' . $status . ' ' . $code );
		if ( ( $status >= 200 && $status < 300 ) || 409 === $status ) {
			return array(
				'outcome'     => 'delivered',
				'error'       => '',
				'retry_after' => 0,
			);
		}
		if ( in_array( $status, array( 400, 413, 415, 422 ), true ) ) {
			return array(
				'outcome'     => 'rejected',
				'error'       => $error,
				'retry_after' => 0,
			);
		}
		$retry_after = wp_remote_retrieve_header( $response, 'retry-after' );
		return array(
			'outcome'     => 'retry',
			'error'       => $error,
			'retry_after' => is_numeric( $retry_after ) ? max( 0, (int) $retry_after ) : 0,
		);
	}

	/**
	 * Seconds before attempt number $attempt + 1: 1, 2, 4 … minutes, at most 6 hours, plus up to
	 * a tenth of jitter so a recovering endpoint is not hit by every site at once.
	 *
	 * @param int $attempt Attempts made so far (1 after the first).
	 * @return int
	 */
	public static function backoff( $attempt ) {
		$delay = (int) min( self::MAX_DELAY, self::FIRST_DELAY * pow( 2, max( 0, $attempt - 1 ) ) );
		return $delay + (int) wp_rand( 0, (int) floor( $delay / 10 ) );
	}

	/**
	 * Schedules the next attempt, or keeps the delivery as undelivered once attempts run out.
	 *
	 * @param string $delivery_id The delivery id.
	 * @param array  $record      The stored record.
	 * @param string $error       Why this attempt failed.
	 * @param int    $retry_after Seconds Tidings asked us to wait (429/503), 0 if none.
	 */
	private static function retry_later( $delivery_id, array $record, $error, $retry_after ) {
		$record['attempts']   = (int) $record['attempts'] + 1;
		$record['last_error'] = $error;
		if ( $record['attempts'] >= self::MAX_ATTEMPTS ) {
			$record['status'] = 'given_up';
			update_option( self::OPTION_PREFIX . $delivery_id, $record, false );
			self::remember_undelivered( $delivery_id );
			self::log( 'error', sprintf( 'Tidings delivery %s failed %d times (%s); it is kept and can be sent again from WooCommerce > Tidings.', $delivery_id, $record['attempts'], $error ) );
			return;
		}
		update_option( self::OPTION_PREFIX . $delivery_id, $record, false );
		$delay = max( self::backoff( $record['attempts'] ), (int) $retry_after );
		WC()->queue()->schedule_single( self::now() + $delay, self::HOOK, array( $delivery_id ), self::GROUP );
		self::log( 'warning', sprintf( 'Tidings delivery %s attempt %d failed (%s); next in %d s.', $delivery_id, $record['attempts'], $error, $delay ) );
	}

	/**
	 * Adds a delivery to the list the settings page offers to send again.
	 *
	 * @param string $delivery_id The delivery id.
	 */
	private static function remember_undelivered( $delivery_id ) {
		$ids = get_option( self::UNDELIVERED, array() );
		$ids = is_array( $ids ) ? $ids : array();
		if ( ! in_array( $delivery_id, $ids, true ) ) {
			$ids[] = $delivery_id;
		}
		update_option( self::UNDELIVERED, $ids, false );
	}

	/**
	 * How many deliveries wait for someone to send them again.
	 *
	 * @return int
	 */
	public static function undelivered_count() {
		$ids = get_option( self::UNDELIVERED, array() );
		return is_array( $ids ) ? count( $ids ) : 0;
	}

	/**
	 * Queues every kept undelivered delivery again, with its attempts reset and its delivery id
	 * unchanged (so Tidings still keeps one event for it).
	 *
	 * @return int How many were queued.
	 */
	public static function requeue_undelivered() {
		$ids   = get_option( self::UNDELIVERED, array() );
		$count = 0;
		foreach ( is_array( $ids ) ? $ids : array() as $delivery_id ) {
			$record = get_option( self::OPTION_PREFIX . $delivery_id );
			if ( ! is_array( $record ) ) {
				continue;
			}
			$record['status']   = 'pending';
			$record['attempts'] = 0;
			update_option( self::OPTION_PREFIX . $delivery_id, $record, false );
			WC()->queue()->add( self::HOOK, array( $delivery_id ), self::GROUP );
			++$count;
		}
		update_option( self::UNDELIVERED, array(), false );
		return $count;
	}

	/**
	 * Sends a signed ping now, for the settings page's "Test connection".
	 *
	 * @return array{ok: bool, message: string}
	 */
	public static function ping() {
		$settings = Tidings_Settings::get();
		if ( '' === $settings['endpoint_url'] || '' === $settings['secret'] ) {
			return array(
				'ok'      => false,
				'message' => __( 'Set the endpoint URL and the secret first.', 'tidings-for-woocommerce' ),
			);
		}
		$delivery_id = wp_generate_uuid4();
		$body        = wp_json_encode(
			array(
				'schema'      => 1,
				'event'       => 'ping',
				'delivery_id' => $delivery_id,
				'site_url'    => home_url(),
			)
		);
		$response    = wp_remote_post(
			$settings['endpoint_url'],
			array(
				'timeout'     => self::TIMEOUT_SECONDS,
				'redirection' => 0,
				'headers'     => Tidings_Signer::headers( $settings['site_id'], $settings['secret'], $delivery_id, $body, self::now() ),
				'body'        => $body,
				'data_format' => 'body',
			)
		);
		$result      = self::classify( $response );
		if ( 'delivered' === $result['outcome'] ) {
			return array(
				'ok'      => true,
				'message' => __( 'Tidings answered and accepted this site\'s signature.', 'tidings-for-woocommerce' ),
			);
		}
		/* translators: %s: what went wrong, e.g. "HTTP 401 bad_signature". */
		return array(
			'ok'      => false,
			'message' => sprintf( __( 'Tidings did not accept the test: %s', 'tidings-for-woocommerce' ), $result['error'] ),
		);
	}

	/**
	 * Logs to WooCommerce > Status > Logs, source "tidings". Never personal data: ids and codes only.
	 *
	 * @param string $level   A PSR-3 level.
	 * @param string $message The message.
	 */
	private static function log( $level, $message ) {
		if ( function_exists( 'wc_get_logger' ) ) {
			wc_get_logger()->log( $level, $message, array( 'source' => 'tidings' ) );
		}
	}
}
