<?php
/**
 * For the zip test: opens the plugin zip with PHP's ZipArchive, which WordPress's unzip_file()
 * uses when it exists (Plugins > Add New > Upload Plugin), extracts it as WordPress would into
 * wp-content/plugins, and prints each extracted file's SHA-1.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';

$zip_path = '/tmp/tidings-upload.zip';
file_put_contents( $zip_path, base64_decode( input()['zip'], true ) );
$zip = new ZipArchive();
$opened = $zip->open( $zip_path, ZipArchive::CHECKCONS );
if ( true !== $opened ) {
	throw new Exception( 'ZipArchive::open failed: ' . $opened );
}
$target = '/tmp/wp-content/plugins/';
if ( ! $zip->extractTo( $target ) ) {
	throw new Exception( 'ZipArchive::extractTo failed' );
}
$zip->close();
$files = array();
$iterator = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $target, FilesystemIterator::SKIP_DOTS ) );
foreach ( $iterator as $file ) {
	$files[ substr( $file->getPathname(), strlen( $target ) ) ] = sha1_file( $file->getPathname() );
}
ksort( $files );
echo json_encode( $files );
