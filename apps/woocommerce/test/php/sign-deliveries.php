<?php
/**
 * For the cross-language test: runs the plugin's own hook and delivery code for the orders in
 * input.json and prints the HTTP requests it made (URL, headers, body), which the Node test then
 * sends to a real hub.
 *
 * @package Tidings\Tests
 */

require __DIR__ . '/test-kit.php';
require __DIR__ . '/wp-stubs.php';

$input = input();
tidings_test_reset();
// Real delivery ids are random UUIDs; runs against one hub must not share them.
$GLOBALS['tidings_test']['uuid_seed'] = random_int( 1, 0x7fffffff );
$GLOBALS['tidings_test']['now'] = (int) $input['now'];
update_option( 'tidings_settings', $input['settings'] );
// "Test connection" on the settings page: the plugin's signed ping, nothing queued.
if ( ! empty( $input['ping'] ) ) {
	Tidings_Delivery::ping();
}
foreach ( isset( $input['changes'] ) ? $input['changes'] : array() as $change ) {
	$order = new WC_Order( $change['order'] );
	Tidings_Plugin::on_status_changed( $order->get_id(), $change['from'], $change['to'], $order );
}
// Optionally the first attempt meets a 503 from the (stubbed) network, so the plugin retries:
// the retry is signed anew, 30 s later, with the same delivery id.
if ( ! empty( $input['fail_first'] ) ) {
	$GLOBALS['tidings_test']['responses'][] = array( 'response' => array( 'code' => 503 ), 'headers' => array(), 'body' => '' );
}
for ( $i = 0; $i < count( $GLOBALS['tidings_test']['queue'] ); $i++ ) {
	$GLOBALS['tidings_test']['now'] = (int) $input['now'] + 30 * $i;
	Tidings_Delivery::deliver( $GLOBALS['tidings_test']['queue'][ $i ]['args'][0] );
}
echo json_encode( $GLOBALS['tidings_test']['requests'] );
