import { describe, expect, it } from 'vitest';
import { whatsappWindowOpen } from './whatsapp-window.ts';

describe('whatsapp_outside_window', () => {
  it('is open for 24 hours after the customer’s last message, then closed', () => {
    const now = '2026-06-10T16:00:00Z';
    expect(whatsappWindowOpen('2026-06-09T16:00:01Z', now)).toBe(true);
    expect(whatsappWindowOpen('2026-06-09T16:00:00Z', now)).toBe(false);
    expect(whatsappWindowOpen(undefined, now)).toBe(false);
  });
});
