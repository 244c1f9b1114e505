import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound, SMS } from '../../test/messages.ts';
import type { ChannelDeps } from '../http/channel-deps.ts';
import { type SendFailureCode, sendFailure } from '../http/send-failures.ts';
import { createDevSink } from './dev-sink.ts';

const quiet = () => {};
const message = outbound(SMS, { to: '+15558675310' });
const failFor = (to: string, failure: ReturnType<typeof sendFailure>) => (m: typeof message) =>
  m.to === to ? failure : undefined;

runConformance<unknown>({
  provider: 'dev-sink',
  channel: 'sms',
  transport: 'none',
  create: (deps) => createDevSink({ channel: 'sms', print: quiet }, deps),
  credentials: undefined,
  message,
  check: () => ['the dev sink must not make requests'],
  success: { responses: [{ status: 500 }], providerMessageId: 'dev_1' },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a simulated rate limit',
      failure: sendFailure({ label: 'The dev sink', code: 'rate_limited', class: 'retryable' }),
    },
    {
      title: 'a simulated invalid number',
      failure: sendFailure({
        label: 'The dev sink',
        code: 'invalid_recipient',
        class: 'permanent',
      }),
    },
  ].map(({ title, failure }) => ({
    title,
    responses: [],
    create: (deps: ChannelDeps) =>
      createDevSink(
        { channel: 'sms', print: quiet, simulateFailure: failFor('+15558675310', failure) },
        deps,
      ),
    expect: { class: failure.class, code: failure.code as SendFailureCode },
  })),
  receipts: { none: 'nothing is delivered, so nothing comes back' },
});

describe('dev sink', () => {
  it('stores and prints what would have been sent', async () => {
    const lines: string[] = [];
    const sink = createDevSink({ channel: 'sms', print: (l) => lines.push(l) });
    await sink.send(message, undefined);
    expect(sink.messages()).toHaveLength(1);
    expect(sink.messages()[0]?.message.rendering).toEqual(SMS);
    expect(lines[0]).toContain(
      '[dev-sink sms] +15558675310 ← dispatched for order 1001: Order #1001 has shipped.',
    );
    sink.clear();
    expect(sink.messages()).toEqual([]);
  });

  it('simulates a failure so fallbacks can be rehearsed', async () => {
    const failure = sendFailure({
      label: 'The dev sink',
      code: 'invalid_recipient',
      class: 'permanent',
    });
    const sink = createDevSink({
      channel: 'sms',
      print: quiet,
      simulateFailure: failFor('+15558675310', failure),
    });
    expect(await sink.send(message, undefined)).toEqual({ ok: false, error: failure });
    expect(sink.messages()).toEqual([]);
  });
});
