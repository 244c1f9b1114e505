/**
 * @module `node bench/http-client-micro.ts`: CPU per provider call of the global `fetch`, undici's
 * `request` and `Pool`, and `node:http` with a keep-alive agent, 64 in flight against a provider
 * stub in its own process. It chose the production transport (`src/http/provider-transport.ts`).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool, request as undiciRequest } from 'undici';

if (process.env.MODE === 'stub') {
  // The provider: reads the JSON body, answers 200 with a message id, keeps connections alive.
  let id = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString('utf8');
    });
    req.on('end', () => {
      JSON.parse(body);
      id += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"m-${id}"}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`http://127.0.0.1:${port}/messages\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, MODE: 'stub' },
  });
  const url = await new Promise<string>((r) =>
    createInterface({ input: child.stdout }).once('line', r),
  );
  const N = 20000;
  const body = (i: number) =>
    JSON.stringify({
      intentId: `i-${i}-${Math.random()}`,
      to: 'a@b.c',
      channel: 'email',
      status: 'processing',
    });
  const headers = { 'content-type': 'application/json', 'idempotency-key': 'k', 'x-worker': 'w' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const pool = new Pool(new URL(url).origin, { connections: 64 });
  const clients: Record<string, (i: number) => Promise<string>> = {
    fetch: async (i) => {
      const r = await fetch(url, {
        method: 'POST',
        headers,
        body: body(i),
        signal: AbortSignal.timeout(10000),
      });
      return r.text();
    },
    undici: async (i) => {
      const r = await undiciRequest(url, { method: 'POST', headers, body: body(i) });
      return r.body.text();
    },
    pool: async (i) => {
      const r = await pool.request({ path: '/messages', method: 'POST', headers, body: body(i) });
      return r.body.text();
    },
    http: (i) =>
      new Promise((resolve, reject) => {
        const b = body(i);
        const req = http.request(
          url,
          {
            method: 'POST',
            agent,
            headers: { ...headers, 'content-length': Buffer.byteLength(b) },
          },
          (res) => {
            let t = '';
            res.setEncoding('utf8');
            res.on('data', (d) => {
              t += d;
            });
            res.on('end', () => resolve(t));
          },
        );
        req.on('error', reject);
        req.end(b);
      }),
  };
  for (const round of [1, 2])
    for (const [name, call] of Object.entries(clients)) {
      let next = 0;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < N) {
            await call(next++);
          }
        }),
      );
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      if (round === 2)
        console.log(
          `${name}: ${Math.round(N / s)}/s, client cpu ${Math.round((c.user + c.system) / N)} µs/req`,
        );
    }
  child.stdin.end();
  await pool.close();
  agent.destroy();
}
