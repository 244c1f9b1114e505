import { afterAll, beforeAll, expect, it } from 'vitest';
import { journey } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
});
afterAll(async () => {
  await Promise.all([running.hub.writeBackWorker?.stop(), running.hub.scheduler?.stop()]);
  await running.hub.app.close();
});

it('answers 503 store_unavailable, and is not ready, while the store is down', async () => {
  await running.hub.dispatcher?.stop();
  const ready = await fetch(`${running.url}/readyz`);
  expect(ready.status).toBe(200);
  // Take the database away under the running server.
  await running.store.close();
  const res = await fetch(`${running.url}/api/tenants/${running.tenantId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${running.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(journey('down-1', Date.parse('2026-11-28T10:00:00Z'))[0]),
  });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  const notReady = await fetch(`${running.url}/readyz`);
  expect(notReady.status).toBe(503);
});
