/**
 * @module The ticket sidebar: the order's notification timeline from Tidings and a manual
 * override. Every call goes through Zendesk's proxy, which signs a short-lived HS256 token with
 * the installation's secure setting `shared_secret` (agents never see it); Tidings verifies it.
 */
/* global ZAFClient */

const STRINGS = {
  en: {
    loading: 'Loading…',
    noOrder: 'This ticket names no order (order number field or external ID).',
    unknown: 'Tidings has no notifications for this order yet.',
    failed: 'Tidings could not be reached.',
    order: 'Order',
    now: 'Now',
    override: 'Correct the status',
    status: 'Status',
    reason: 'Reason',
    notify: 'Tell the customer',
    submit: 'Apply',
    applied: 'Applied.',
    duplicate: 'Already applied.',
  },
  es: {
    loading: 'Cargando…',
    noOrder: 'Este ticket no indica ningún pedido (campo de número de pedido o ID externo).',
    unknown: 'Tidings aún no tiene notificaciones para este pedido.',
    failed: 'No se pudo contactar con Tidings.',
    order: 'Pedido',
    now: 'Ahora',
    override: 'Corregir el estado',
    status: 'Estado',
    reason: 'Motivo',
    notify: 'Avisar al cliente',
    submit: 'Aplicar',
    applied: 'Aplicado.',
    duplicate: 'Ya aplicado.',
  },
  fr: {
    loading: 'Chargement…',
    noOrder: 'Ce ticket ne désigne aucune commande (champ numéro de commande ou ID externe).',
    unknown: 'Tidings n’a encore aucune notification pour cette commande.',
    failed: 'Tidings est injoignable.',
    order: 'Commande',
    now: 'Maintenant',
    override: 'Corriger le statut',
    status: 'Statut',
    reason: 'Raison',
    notify: 'Prévenir le client',
    submit: 'Appliquer',
    applied: 'Appliqué.',
    duplicate: 'Déjà appliqué.',
  },
  de: {
    loading: 'Wird geladen…',
    noOrder: 'Dieses Ticket nennt keine Bestellung (Bestellnummernfeld oder externe ID).',
    unknown: 'Tidings hat noch keine Benachrichtigungen für diese Bestellung.',
    failed: 'Tidings ist nicht erreichbar.',
    order: 'Bestellung',
    now: 'Jetzt',
    override: 'Status korrigieren',
    status: 'Status',
    reason: 'Grund',
    notify: 'Kunden benachrichtigen',
    submit: 'Anwenden',
    applied: 'Angewendet.',
    duplicate: 'Bereits angewendet.',
  },
};

const STATUSES = [
  'created',
  'processing',
  'dispatched',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'completed',
  'on_hold',
  'delayed',
  'exception',
  'cancelled',
  'refunded',
  'returned',
];

const $ = (id) => document.getElementById(id);

const start = async (client) => {
  const meta = await client.metadata();
  const settings = meta.settings;
  const context = await client.context();
  const fieldKey = settings.order_field_id
    ? `ticket.customField:custom_field_${settings.order_field_id}`
    : 'ticket.externalId';
  const data = await client.get(['currentUser', 'ticket.externalId', fieldKey]);
  const user = data.currentUser;
  const t = STRINGS[String(user.locale).slice(0, 2)] ?? STRINGS.en;
  const orderRef = String(data[fieldKey] || data['ticket.externalId'] || '').trim();
  const base = String(settings.tidings_url).replace(/\/+$/, '');

  const call = (path, type, body) =>
    client.request({
      url: `${base}${path}`,
      type,
      contentType: 'application/json',
      ...(body ? { data: JSON.stringify(body) } : {}),
      // Zendesk's proxy mints the token from `jwt` and puts it where this placeholder stands; it
      // adds no header of its own.
      headers: { Authorization: 'Bearer {{jwt.token}}' },
      secure: true,
      cors: false,
      jwt: {
        algorithm: 'HS256',
        secret_key: '{{setting.shared_secret}}',
        expiry: 300,
        claims: {
          iss: context.account.subdomain,
          aud: 'tidings',
          sub: String(user.id),
          name: user.name,
        },
      },
    });

  $('status').textContent = t.loading;
  $('override-title').textContent = t.override;
  $('status-label').textContent = t.status;
  $('reason-label').textContent = t.reason;
  $('notify-label').textContent = t.notify;
  $('override-submit').textContent = t.submit;
  for (const s of STATUSES) {
    const option = document.createElement('option');
    option.value = s;
    option.textContent = s.replaceAll('_', ' ');
    $('override-status').append(option);
  }
  if (!orderRef) {
    $('status').textContent = t.noOrder;
    return;
  }

  const load = async () => {
    try {
      const timeline = await call(
        `/zendesk/app/timeline?order=${encodeURIComponent(orderRef)}`,
        'GET',
      );
      $('status').hidden = true;
      $('order').hidden = false;
      $('order-title').textContent = `${t.order} ${timeline.orderRef}`;
      const state = timeline.state;
      $('order-state').textContent = state
        ? `${t.now}: ${[state.progress, ...state.overlays, ...state.terminals].filter(Boolean).join(' · ')}`
        : '';
      const list = $('timeline');
      list.replaceChildren();
      for (const entry of timeline.entries) {
        const item = document.createElement('li');
        item.className = entry.kind;
        const time = document.createElement('time');
        time.dateTime = entry.at;
        time.textContent = new Date(entry.at).toLocaleString(user.locale);
        item.append(time, document.createTextNode(entry.text));
        list.append(item);
      }
    } catch (error) {
      $('status').textContent = error && error.status === 404 ? t.unknown : t.failed;
    }
    client.invoke('resize', { width: '100%', height: `${document.body.scrollHeight + 16}px` });
  };

  $('override').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('override-submit').disabled = true;
    try {
      const answer = await call('/zendesk/app/override', 'POST', {
        orderRef,
        status: $('override-status').value,
        reason: $('override-reason').value,
        notify: $('override-notify').checked,
        requestId: crypto.randomUUID(),
      });
      $('override-result').textContent = answer.outcome === 'duplicate' ? t.duplicate : t.applied;
      await load();
    } catch {
      $('override-result').textContent = t.failed;
    } finally {
      $('override-submit').disabled = false;
    }
  });

  await load();
};

void start(ZAFClient.init());
