<?php
/**
 * Signs deliveries exactly as the Tidings endpoint verifies them (apps/woocommerce/src/plugin-signature.ts):
 * "v1=" + hex HMAC-SHA256, under the site's secret, of "{timestamp}.{delivery id}.{body}".
 * Shared test vectors (test/fixtures/signing-vectors.json) are checked against both.
 *
 * @package Tidings
 */

defined( 'ABSPATH' ) || exit;

/**
 * The signing scheme, with no WordPress dependency.
 */
final class Tidings_Signer {

	const VERSION = 'v1';

	/**
	 * The X-Tidings-Signature value for one request.
	 *
	 * @param string $secret      The site's secret.
	 * @param string $timestamp   Unix seconds, as a string.
	 * @param string $delivery_id The delivery id (stable across retries).
	 * @param string $body        The exact body bytes sent.
	 * @return string
	 */
	public static function signature( $secret, $timestamp, $delivery_id, $body ) {
		return self::VERSION . '=' . hash_hmac( 'sha256', $timestamp . '.' . $delivery_id . '.' . $body, $secret );
	}

	/**
	 * Every header of one signed request. Each attempt is signed anew with the current time, so
	 * a delivery retried hours later is still fresh; the delivery id stays the same, so Tidings
	 * keeps one event however often it arrives.
	 *
	 * @param string $site_id     The site key Tidings knows this site by.
	 * @param string $secret      The site's secret.
	 * @param string $delivery_id The delivery id.
	 * @param string $body        The exact body bytes sent.
	 * @param int    $now         Unix seconds.
	 * @return array<string, string>
	 */
	public static function headers( $site_id, $secret, $delivery_id, $body, $now ) {
		$timestamp = (string) $now;
		return array(
			'Content-Type'        => 'application/json',
			'X-Tidings-Site'      => $site_id,
			'X-Tidings-Timestamp' => $timestamp,
			'X-Tidings-Delivery'  => $delivery_id,
			'X-Tidings-Signature' => self::signature( $secret, $timestamp, $delivery_id, $body ),
		);
	}
}
