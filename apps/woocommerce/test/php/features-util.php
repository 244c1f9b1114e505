<?php
/**
 * A stand-in for WooCommerce's FeaturesUtil, recording compatibility declarations.
 *
 * @package Tidings\Tests
 */

namespace Automattic\WooCommerce\Utilities;

class FeaturesUtil {
	public static $declared = array();
	public static function declare_compatibility( $feature, $plugin_file, $positive_compatibility = true ) {
		self::$declared[] = array( $feature, basename( $plugin_file ), $positive_compatibility );
		return true;
	}
}
