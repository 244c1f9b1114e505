/**
 * @module Liquid fragments the default copy of every language shares, so a rule (no item names
 * under `generic_items`, tracking only when known) is written once.
 */

/** " (Blue Mug and 1 more item)" from the order's lines, or nothing under `generic_items`. */
export const ORDER_SUMMARY =
  "{% unless rewrites.generic_items %}{% assign summary = order.items | items_summary %}{% if summary != '' %} ({{ summary }}){% endif %}{% endunless %}";

/** The same from this shipment's lines when known, else from the order's. */
export const SHIPMENT_SUMMARY =
  "{% unless rewrites.generic_items %}{% if shipment.items.size > 0 %}{% assign summary = shipment.items | items_summary %}{% else %}{% assign summary = order.items | items_summary %}{% endif %}{% if summary != '' %} ({{ summary }}){% endif %}{% endunless %}";

/** " <label> <link>" when the shipment has a tracking URL or number, else nothing. */
export const track = (label: string): string =>
  `{% assign link = shipment | tracking_link %}{% if link != '' %} ${label} {{ link }}{% endif %}`;

/** " <label> 1Z…" with carrier, for staff lines. */
export const staffShipment = (label: string): string =>
  `{% if shipment %} ${label} {{ shipment.id }}{% if shipment.carrier %}, {{ shipment.carrier }}{% endif %}{% if shipment.tracking_number %} {{ shipment.tracking_number }}{% endif %}.{% endif %}`;
