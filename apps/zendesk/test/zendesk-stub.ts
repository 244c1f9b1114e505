/**
 * @module A loopback stand-in for a Zendesk account's REST API: it records every request and
 * checks the bodies against what Zendesk documents (hosts.md §3.4, sources.md §5.4 and §5.6), so
 * a body Zendesk would refuse is refused here too (422, with the reason).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface ZendeskStub {
  url: string;
  requests: StubRequest[];
  webhooks: Map<string, Record<string, unknown>>;
  triggers: Map<string, Record<string, unknown>>;
  /** Answers to force, once each, e.g. `{ status: 429, headers: { 'retry-after': '7' } }`; with
   * `path`, only for a request whose `METHOD /path` matches. */
  failNext: { status: number; headers?: Record<string, string>; path?: RegExp }[];
  signingSecret: string;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Zendesk's required webhook keys and allowed values (hosts.md §3.4). */
export const webhookProblems = (w: unknown): string[] => {
  if (!isObj(w)) return ['webhook must be an object'];
  const p: string[] = [];
  for (const k of ['name', 'endpoint', 'http_method', 'request_format', 'status']) {
    if (typeof w[k] !== 'string' || w[k] === '') p.push(`webhook.${k} is required`);
  }
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(String(w.http_method)))
    p.push('bad http_method');
  if (!['json', 'xml', 'form_encoded'].includes(String(w.request_format)))
    p.push('bad request_format');
  if (!['active', 'inactive'].includes(String(w.status))) p.push('bad status');
  const subs = w.subscriptions;
  if (!Array.isArray(subs) || subs.length !== 1 || subs[0] !== 'conditional_ticket_events') {
    p.push('a trigger webhook subscribes to ["conditional_ticket_events"] alone');
  }
  if (typeof w.endpoint === 'string' && !/^https?:\/\//.test(w.endpoint))
    p.push('endpoint must be a URL');
  return p;
};

/** Zendesk's required trigger keys; the webhook action's value is [id, JSON string]. */
export const triggerProblems = (t: unknown, webhooks: ReadonlyMap<string, unknown>): string[] => {
  if (!isObj(t)) return ['trigger must be an object'];
  const p: string[] = [];
  if (typeof t.title !== 'string' || t.title === '') p.push('trigger.title is required');
  const c = t.conditions;
  if (!isObj(c) || !Array.isArray(c.all) || !Array.isArray(c.any))
    p.push('trigger.conditions needs all and any arrays');
  if (!Array.isArray(t.actions) || t.actions.length === 0) p.push('trigger.actions is required');
  for (const a of Array.isArray(t.actions) ? t.actions : []) {
    if (!isObj(a) || a.field !== 'notification_webhook') continue;
    const v = a.value;
    if (
      !Array.isArray(v) ||
      v.length !== 2 ||
      typeof v[0] !== 'string' ||
      typeof v[1] !== 'string'
    ) {
      p.push('notification_webhook value must be [webhook id, body string]');
      continue;
    }
    if (!webhooks.has(v[0])) p.push(`no webhook ${v[0]}`);
    try {
      JSON.parse(v[1]);
    } catch {
      p.push('the webhook body must be JSON text');
    }
  }
  return p;
};

/** Starts the stub on a random loopback port. */
export const startZendeskStub = async (): Promise<ZendeskStub> => {
  const requests: StubRequest[] = [];
  const webhooks = new Map<string, Obj>();
  const triggers = new Map<string, Obj>();
  const failNext: ZendeskStub['failNext'] = [];
  const signingSecret = 'zd-signing-secret-0123456789abcdef';
  let nextId = 9000;
  let updatedAt = Date.parse('2026-11-28T15:00:37Z');
  const tickets = new Map<
    string,
    { tags: string[]; comments: Obj[]; fields: Map<string, string> }
  >();

  const server: Server = createServer(async (req, res) => {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    requests.push({ method, path, authorization: req.headers.authorization, body });
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const at = failNext.findIndex((f) => !f.path || f.path.test(`${method} ${path}`));
    const forced = at >= 0 ? failNext.splice(at, 1)[0] : undefined;
    if (forced)
      return send(forced.status, { error: 'Forced', description: 'stub' }, forced.headers);
    if (!req.headers.authorization?.startsWith('Basic '))
      return send(401, { error: "Couldn't authenticate you" });
    const unprocessable = (details: string[]) => send(422, { error: 'RecordInvalid', details });

    if (method === 'GET' && path === '/api/v2/users/me.json')
      return send(200, { user: { id: 4242, role: 'admin' } });
    if (method === 'POST' && path === '/api/v2/webhooks') {
      const w = isObj(body) ? body.webhook : undefined;
      const problems = webhookProblems(w);
      if (problems.length > 0) return unprocessable(problems);
      const id = `01WEBHOOK${nextId++}`;
      webhooks.set(id, w as Obj);
      return send(201, { webhook: { id, ...(w as Obj) } });
    }
    let m = path.match(/^\/api\/v2\/webhooks\/([^/]+)\/signing_secret$/);
    if (method === 'GET' && m?.[1]) {
      return webhooks.has(m[1])
        ? send(200, { signing_secret: { algorithm: 'SHA256', secret: signingSecret } })
        : send(404, { error: 'RecordNotFound' });
    }
    m = path.match(/^\/api\/v2\/webhooks\/([^/]+)$/);
    if (method === 'DELETE' && m?.[1]) {
      return webhooks.delete(m[1]) ? send(204) : send(404, { error: 'RecordNotFound' });
    }
    if (method === 'POST' && path === '/api/v2/triggers') {
      const t = isObj(body) ? body.trigger : undefined;
      const problems = triggerProblems(t, webhooks);
      if (problems.length > 0) return unprocessable(problems);
      const id = nextId++;
      triggers.set(String(id), t as Obj);
      return send(201, { trigger: { id, ...(t as Obj) } });
    }
    m = path.match(/^\/api\/v2\/triggers\/([^/]+)$/);
    if (method === 'DELETE' && m?.[1]) {
      return triggers.delete(m[1]) ? send(204) : send(404, { error: 'RecordNotFound' });
    }
    m = path.match(/^\/api\/v2\/tickets\/(\d+)\.json$/);
    if (method === 'PUT' && m?.[1]) {
      const t = isObj(body) ? body.ticket : undefined;
      if (!isObj(t)) return unprocessable(['ticket is required']);
      const problems: string[] = [];
      if (t.comment !== undefined) {
        const c = t.comment;
        if (!isObj(c) || typeof c.body !== 'string' || c.body === '')
          problems.push('comment.body is required');
        if (isObj(c) && c.public !== undefined && typeof c.public !== 'boolean')
          problems.push('comment.public is boolean');
      }
      if (t.additional_tags !== undefined && !Array.isArray(t.additional_tags))
        problems.push('additional_tags is an array');
      if (problems.length > 0) return unprocessable(problems);
      const ticket = tickets.get(m[1]) ?? {
        tags: [],
        comments: [],
        fields: new Map<string, string>(),
      };
      tickets.set(m[1], ticket);
      for (const tag of (t.additional_tags as string[] | undefined) ?? []) {
        if (!ticket.tags.includes(tag)) ticket.tags.push(tag);
      }
      if (isObj(t.comment)) ticket.comments.push(t.comment);
      for (const f of Array.isArray(t.custom_fields) ? t.custom_fields : []) {
        if (isObj(f)) ticket.fields.set(String(f.id), String(f.value));
      }
      updatedAt += 1000;
      return send(200, {
        ticket: {
          id: Number(m[1]),
          updated_at: new Date(updatedAt).toISOString().replace('.000', ''),
          tags: ticket.tags,
          custom_fields: [...ticket.fields].map(([id, value]) => ({ id: Number(id), value })),
        },
      });
    }
    return send(404, { error: 'InvalidEndpoint' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    webhooks,
    triggers,
    failNext,
    signingSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
