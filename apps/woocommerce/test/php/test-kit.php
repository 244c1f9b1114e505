<?php
/**
 * A very small test runner: every PHP notice, warning or deprecation is a failure, and results
 * are printed as JSON for the vitest suite to report one test each.
 *
 * @package Tidings\Tests
 */

error_reporting( E_ALL );
set_error_handler(
	static function ( $severity, $message, $file, $line ) {
		throw new ErrorException( $message, 0, $severity, $file, $line );
	}
);

$GLOBALS['tidings_tests'] = array();

function test( $name, callable $body ) {
	$GLOBALS['tidings_tests'][ $name ] = $body;
}

function check( $condition, $message ) {
	if ( ! $condition ) {
		throw new Exception( $message );
	}
}

function same( $expected, $actual, $what ) {
	if ( $expected !== $actual ) {
		throw new Exception( $what . ': expected ' . var_export( $expected, true ) . ', got ' . var_export( $actual, true ) );
	}
}

function run_tests() {
	$results = array();
	foreach ( $GLOBALS['tidings_tests'] as $name => $body ) {
		if ( function_exists( 'tidings_test_reset' ) ) {
			tidings_test_reset();
		}
		try {
			$body();
			$results[] = array( 'name' => $name, 'ok' => true, 'message' => '' );
		} catch ( Throwable $e ) {
			$results[] = array( 'name' => $name, 'ok' => false, 'message' => get_class( $e ) . ': ' . $e->getMessage() . ' at ' . basename( $e->getFile() ) . ':' . $e->getLine() );
		}
	}
	echo json_encode( $results );
}

function input() {
	return json_decode( file_get_contents( __DIR__ . '/input.json' ), true );
}
