/**
 * @module `/dev/inbox`: what the dev sink "sent", grouped by order, with the planner's
 * explanation beside each message — so a newcomer sees Tidings work without any provider account.
 * `/dev/inbox.json` serves the same data for scripts and tests.
 */
import type { Rendering } from '@tidings/core';
import type { Store } from '@tidings/store';
import type { FastifyInstance } from 'fastify';
import type { ChannelRegistry } from './channel-registry.ts';

export interface InboxMessage {
  at: string;
  tenantId: string;
  orderRef: string;
  intentId: string;
  channel: string;
  to: string | undefined;
  status: string;
  templateKey: string;
  summary: string;
  body: string;
  why: string[];
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The words a person would see, from any channel's rendering. */
const words = (r: Rendering): { summary: string; body: string } => {
  switch (r.channel) {
    case 'sms':
      return {
        summary: `SMS (${r.segments.segments} segment${r.segments.segments === 1 ? '' : 's'}, ${r.segments.encoding})`,
        body: r.text,
      };
    case 'email':
      return { summary: r.subject, body: r.text };
    case 'whatsapp':
      return { summary: `WhatsApp ${r.templateName} (${r.language})`, body: r.text };
    case 'push':
      return { summary: r.title, body: r.body };
    case 'slack':
      return { summary: 'Slack message', body: r.text };
    case 'google_chat':
      return { summary: 'Google Chat card', body: r.text };
    case 'teams':
      return { summary: 'Teams Adaptive Card', body: JSON.stringify(r.card).slice(0, 500) };
    default:
      return r satisfies never;
  }
};

/** The sink's messages with each one's decisions, newest first. */
export const inboxMessages = async (
  registry: ChannelRegistry,
  store: Store,
  tenantId?: string,
): Promise<InboxMessage[]> => {
  const sunk = registry
    .devMessages()
    .filter((m) => tenantId === undefined || m.message.tenantId === tenantId);
  const decisions = new Map<string, Awaited<ReturnType<Store['listDecisions']>>>();
  const out: InboxMessage[] = [];
  for (const { at, message } of sunk) {
    const key = `${message.tenantId}\u0000${message.orderRef}`;
    let list = decisions.get(key);
    if (!list) {
      list = await store.listDecisions(message.tenantId, message.orderRef);
      decisions.set(key, list);
    }
    const why = list
      .filter((d) => d.decision.intentId === message.intentId)
      .map((d) => `${d.decision.action}: ${d.decision.detail} (${d.decision.reasons.join(', ')})`);
    out.push({
      at,
      tenantId: message.tenantId,
      orderRef: message.orderRef,
      intentId: message.intentId,
      channel: message.channel,
      to: message.to,
      status: message.status,
      templateKey: message.templateKey,
      ...words(message.rendering),
      why,
    });
  }
  return out.reverse();
};

const page = (messages: InboxMessage[]): string => {
  const orders = new Map<string, InboxMessage[]>();
  for (const m of messages)
    orders.set(`${m.tenantId} · ${m.orderRef}`, [
      ...(orders.get(`${m.tenantId} · ${m.orderRef}`) ?? []),
      m,
    ]);
  const sections = [...orders.entries()]
    .map(
      ([order, list]) =>
        `<section><h2>${escapeHtml(order)}</h2>${list
          .map(
            (m) => `<article class="message" data-intent="${escapeHtml(m.intentId)}">
  <header><span class="channel">${escapeHtml(m.channel)}</span> <span class="status">${escapeHtml(m.status)}</span> to <code>${escapeHtml(m.to ?? 'team channel')}</code> <time>${escapeHtml(m.at)}</time></header>
  <h3>${escapeHtml(m.summary)}</h3>
  <pre>${escapeHtml(m.body)}</pre>
  <details open><summary>Why</summary><ul>${m.why.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></details>
</article>`,
          )
          .join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tidings dev inbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.message{border:1px solid #e3e3e3;border-radius:8px;padding:.8rem 1rem;margin:.8rem 0}
.channel{background:#eef;border-radius:4px;padding:0 .4rem}.status{font-weight:600}
pre{white-space:pre-wrap;background:#fafafa;padding:.6rem;border-radius:6px}
details li{color:#555;font-size:.9em}
</style></head>
<body><h1>Tidings dev inbox</h1>
<p>${messages.length} message${messages.length === 1 ? '' : 's'} the dev sink would have sent. Nothing left this machine.</p>
${messages.length === 0 ? '<p class="empty">Nothing yet. Run <code>npx tidings simulate</code> in another terminal.</p>' : sections}
</body></html>`;
};

/** Registers `/dev/inbox` (HTML) and `/dev/inbox.json`. */
export const registerDevInbox = (
  app: FastifyInstance,
  registry: ChannelRegistry,
  store: Store,
): void => {
  app.get('/dev/inbox.json', async (req) => {
    const { tenant } = req.query as { tenant?: string };
    return { messages: await inboxMessages(registry, store, tenant) };
  });
  app.get('/dev/inbox', async (req, reply) => {
    const { tenant } = req.query as { tenant?: string };
    return reply
      .type('text/html; charset=utf-8')
      .send(page(await inboxMessages(registry, store, tenant)));
  });
};
