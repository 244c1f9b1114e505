/**
 * Hands Order status changes to Tidings. Callouts are not allowed here, so the handler only
 * queues TidingsNotifyQueueable; it does nothing unless Tidings_Setting__mdt turns it on.
 */
trigger TidingsOrderTrigger on Order (after update) {
    TidingsOrderTriggerHandler.handleAfterUpdate(Trigger.new, Trigger.oldMap);
}
