/** @module One row of a vocabulary table: what a platform's value means canonically. */
import type { Guard } from '../order-event.ts';
import type {
  CanonicalStatus,
  OverlayKind,
  OverlayReason,
  ProgressStatus,
  TerminalStatus,
} from '../statuses.ts';

/** What one platform value means. `ignore`: a known value, stored, never notified. */
export interface StatusMapping {
  status: CanonicalStatus | 'ignore';
  // `| undefined` so a tenant's table parsed by zod (`TenantConfig.statusMappings`) fits as is.
  overlay?: OverlayKind | undefined;
  reason?: OverlayReason | undefined;
  pickup?: true | undefined;
  guard?: Guard | undefined;
  voidShipment?: true | undefined;
  /** Why the row maps as it does, when that is not obvious; shown in the README tables. */
  note?: string | undefined;
}

type Extra = Omit<StatusMapping, 'status'>;

/** A progress rung or a terminal, optionally raising an overlay alongside. */
export const to = (status: ProgressStatus | TerminalStatus, extra: Extra = {}): StatusMapping => ({
  status,
  ...extra,
});

/** A condition that leaves the rung where it is ("(unchanged)" in the reference tables). */
export const overlayOnly = (
  kind: OverlayKind,
  reason?: OverlayReason,
  extra: Omit<Extra, 'overlay' | 'reason'> = {},
): StatusMapping =>
  reason === undefined
    ? { status: kind, overlay: kind, ...extra }
    : { status: kind, overlay: kind, reason, ...extra };

export const ignore = (note?: string): StatusMapping =>
  note === undefined ? { status: 'ignore' } : { status: 'ignore', note };
