/**
 * Tidings order status: posts sales-order and item-fulfillment status changes to Tidings.
 *
 * afterSubmit runs synchronously with the user's save, so the callout is short, signed, and never
 * fails the save: errors are logged (Tidings dedupes, so a later edit re-sends the current state).
 * Signature: X-Tidings-Signature = base64(HMAC-SHA256(API Secret, timestamp + "." + body)).
 *
 * @NApiVersion 2.1
 * @NScriptType UserEventScript
 * @NModuleScope SameAccount
 */
define(['N/crypto', 'N/encode', 'N/https', 'N/log', 'N/runtime', 'N/search'], (
  crypto,
  encode,
  https,
  log,
  runtime,
  search,
) => {
  const STATUS_FIELD = { salesorder: 'orderstatus', itemfulfillment: 'shipstatus' };

  const param = (name) => runtime.getCurrentScript().getParameter({ name });

  const text = (value) =>
    value === null || value === undefined || value === '' ? null : String(value);

  // The letter when the record gives it (`orderstatus`, `shipstatus`), else the `status` label;
  // Tidings accepts both, and the `SalesOrd:X` form.
  const statusOf = (record, type) => {
    if (!record) return null;
    return (
      text(record.getValue({ fieldId: STATUS_FIELD[type] })) ||
      text(record.getValue({ fieldId: 'status' }))
    );
  };

  const trackingNumbers = (record) => {
    const numbers = [];
    const lines = record.getLineCount({ sublistId: 'package' });
    for (let line = 0; line < lines; line += 1) {
      const value = text(
        record.getSublistValue({ sublistId: 'package', fieldId: 'packagetrackingnumber', line }),
      );
      if (value && numbers.indexOf(value) < 0) numbers.push(value);
    }
    return numbers;
  };

  const salesOrderOf = (record, type) => {
    if (type === 'salesorder') {
      return {
        id: String(record.id),
        tranId: text(record.getValue({ fieldId: 'tranid' })),
        otherRefNum: text(record.getValue({ fieldId: 'otherrefnum' })),
        email: text(record.getValue({ fieldId: 'email' })),
      };
    }
    const id = text(record.getValue({ fieldId: 'createdfrom' }));
    const fields = id
      ? search.lookupFields({
          type: search.Type.SALES_ORDER,
          id,
          columns: ['tranid', 'otherrefnum', 'email'],
        })
      : {};
    return {
      id: id || String(record.id),
      tranId: text(fields.tranid),
      otherRefNum: text(fields.otherrefnum),
      email: text(fields.email),
    };
  };

  const sign = (secretId, message) => {
    const key = crypto.createSecretKey({ secret: secretId, encoding: encode.Encoding.UTF_8 });
    const hmac = crypto.createHmac({ algorithm: crypto.HashAlg.SHA256, key });
    hmac.update({ input: message, inputEncoding: encode.Encoding.UTF_8 });
    return hmac.digest({ outputEncoding: encode.Encoding.BASE_64 });
  };

  const payloadOf = (context, record, type, next, previous) => {
    const order = salesOrderOf(record, type);
    const modified = record.getValue({ fieldId: 'lastmodifieddate' });
    const payload = {
      accountId: runtime.accountId,
      recordType: type,
      id: String(record.id),
      eventType: String(context.type),
      lastModified: (modified ? new Date(modified) : new Date()).toISOString(),
      status: { old: previous, new: next },
      order: { id: order.id, tranId: order.tranId, otherRefNum: order.otherRefNum },
      customer: { email: order.email },
    };
    if (type === 'itemfulfillment') {
      payload.fulfillment = {
        tranId: text(record.getValue({ fieldId: 'tranid' })),
        carrier: text(record.getText({ fieldId: 'shipmethod' })),
        trackingNumbers: trackingNumbers(record),
      };
    }
    return payload;
  };

  const afterSubmit = (context) => {
    try {
      if (context.type === context.UserEventType.DELETE) return;
      const record = context.newRecord;
      const type = record.type;
      if (!STATUS_FIELD[type]) return;
      const next = statusOf(record, type);
      const previous = statusOf(context.oldRecord, type);
      if (!next || next === previous) return;

      const body = JSON.stringify(payloadOf(context, record, type, next, previous));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const response = https.post({
        url: param('custscript_tidings_endpoint'),
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Tidings-Timestamp': timestamp,
          'X-Tidings-Signature': sign(param('custscript_tidings_secret'), `${timestamp}.${body}`),
        },
      });
      if (response.code < 200 || response.code >= 300) {
        log.error({
          title: 'Tidings refused the status change',
          details: `HTTP ${response.code} for ${type} ${record.id}`,
        });
      }
    } catch (error) {
      log.error({
        title: 'Tidings callout failed',
        details: error instanceof Error ? error.message : String(error),
      });
    }
  };

  return { afterSubmit };
});
