<?php
/**
 * Checks the test kit itself: each of these tests must fail, on the PHP versions where the
 * construct is diagnosed, so a notice, warning or deprecation in the plugin cannot pass unseen.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';

test(
	'a deprecation the code raises itself',
	static function () {
		trigger_error( 'old', E_USER_DEPRECATED ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
	}
);

test(
	'a notice or warning: reading a missing array key',
	static function () {
		$values = array();
		return $values['missing'];
	}
);

test(
	'PHP 8.1: null passed to a string parameter of a built-in function',
	static function () {
		return strlen( null );
	}
);

test(
	'PHP 8.0: a file with an optional parameter before a required one, raised while compiling it',
	static function () {
		file_put_contents( '/tmp/old-signature.php', "<?php\nfunction tidings_old_signature( \$a = 1, \$b ) { return \$b; }\n" );
		require '/tmp/old-signature.php';
	}
);

run_tests();
