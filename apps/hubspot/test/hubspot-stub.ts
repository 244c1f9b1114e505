/**
 * @module A local HTTP stand-in for HubSpot's API on loopback: OAuth tokens and token info,
 * callback completion, notes and associations, and action definitions. It records every request
 * so tests can check what Tidings sent, and can be told to fail.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface HubspotStub {
  url: string;
  requests: RecordedRequest[];
  /** Definitions by app id, as stored by create/update. */
  definitions: Map<string, Array<Record<string, unknown> & { id: string }>>;
  /** The next N callback completions answer this status. */
  failCallbacks(status: number, times: number): void;
  /** Portal id the token-info endpoint reports. */
  hubId: number;
  /** Tokens issued so far (the last one is current). */
  issued: string[];
  /** Seconds the next issued token lives. */
  expiresIn: number;
  /** Grants the token endpoint accepts: refresh fails when false. */
  refreshWorks: boolean;
  of(method: string, prefix: string): RecordedRequest[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** Starts the stub on 127.0.0.1 at a random port. */
export const startHubspotStub = async (): Promise<HubspotStub> => {
  let failing: { status: number; times: number } = { status: 0, times: 0 };
  let noteSeq = 0;
  let defSeq = 0;
  const stub = {
    url: '',
    requests: [] as RecordedRequest[],
    definitions: new Map<string, Array<Record<string, unknown> & { id: string }>>(),
    hubId: 102670506,
    issued: [] as string[],
    expiresIn: 1800,
    refreshWorks: true,
  };
  const issue = () => {
    const token = `access-${stub.issued.length + 1}`;
    stub.issued.push(token);
    return {
      access_token: token,
      refresh_token: 'refresh-1',
      expires_in: stub.expiresIn,
      token_type: 'bearer',
    };
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    stub.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      json,
    });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const p = url.pathname;
    const authorized = req.headers.authorization?.startsWith('Bearer access-') ?? false;

    if (req.method === 'POST' && p === '/oauth/v1/token') {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== 'client-id' || form.get('client_secret') !== 'client-secret')
        return send(400, { status: 'BAD_CLIENT_ID' });
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'good-code')
        return send(200, issue());
      if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-1')
        return stub.refreshWorks ? send(200, issue()) : send(400, { status: 'BAD_REFRESH_TOKEN' });
      return send(400, { status: 'BAD_AUTH_CODE' });
    }
    const info = /^\/oauth\/v1\/access-tokens\/(.+)$/.exec(p);
    if (req.method === 'GET' && info) {
      return send(200, {
        token: info[1],
        hub_id: stub.hubId,
        user_id: 1,
        app_id: 4242,
        scopes: ['oauth', 'automation', 'crm.objects.contacts.write'],
        token_type: 'access',
        expires_in: 1700,
      });
    }
    if (
      req.method === 'POST' &&
      /^\/automation\/v4\/actions\/callbacks\/[^/]+\/complete$/.test(p)
    ) {
      if (!authorized) return send(401, { status: 'error' });
      if (failing.times > 0) {
        failing.times -= 1;
        return send(failing.status, { status: 'error', message: 'stub failure' });
      }
      return send(204);
    }
    if (req.method === 'POST' && p === '/crm/v3/objects/notes') {
      if (!authorized) return send(401, { status: 'error' });
      noteSeq += 1;
      const at = new Date().toISOString();
      return send(201, {
        id: `note-${noteSeq}`,
        properties: {},
        createdAt: at,
        updatedAt: at,
        archived: false,
      });
    }
    if (req.method === 'PUT' && p.startsWith('/crm/v4/objects/notes/')) {
      if (!authorized) return send(401, { status: 'error' });
      return send(200, {
        status: 'COMPLETE',
        results: [],
        startedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      });
    }
    const defs = /^\/automation\/v4\/actions\/(\d+)(?:\/([^/]+))?$/.exec(p);
    if (defs) {
      if (url.searchParams.get('hapikey') !== 'dev-key') return send(401, { status: 'error' });
      const appId = defs[1] ?? '';
      const list = stub.definitions.get(appId) ?? [];
      stub.definitions.set(appId, list);
      if (req.method === 'GET' && !defs[2]) return send(200, { results: list });
      if (req.method === 'POST' && !defs[2]) {
        defSeq += 1;
        const created = {
          ...(json as object),
          id: String(1000 + defSeq),
          revisionId: '1',
          functions: [],
        };
        list.push(created);
        return send(201, created);
      }
      const found = list.find((d) => d.id === defs[2]);
      if (!found) return send(404, { status: 'error' });
      if (req.method === 'PATCH') {
        Object.assign(found, json as object, { revisionId: String(Number(found.revisionId) + 1) });
        return send(200, found);
      }
      if (req.method === 'GET') return send(200, found);
    }
    return send(404, { status: 'error', message: `stub has no ${req.method} ${p}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.url = `http://127.0.0.1:${port}`;
  return Object.assign(stub, {
    failCallbacks(status: number, times: number) {
      failing = { status, times };
    },
    of(method: string, prefix: string) {
      return stub.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};
