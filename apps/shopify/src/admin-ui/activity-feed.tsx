/**
 * @module The Activity feed: the shop's latest decisions, newest first — what was sent, deferred
 * (until when), suppressed or skipped, and why, in core's reason codes and sentences — with
 * action and channel filters and keyset pagination (`GET /shopify/api/activity`). Clicking an
 * order opens its timeline.
 */
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  Filters,
  IndexTable,
  Text,
} from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
// Type only: erased from the bundle, so the page and the route agree on the entry's shape.
import type { ActivityEntry, ActivityPage } from '../admin-activity-routes.ts';
import type { AdminClient } from './admin-client.ts';

const PAGE_SIZE = 25;

/** Badge words per core decision action (the verbs of core's `explain`, in sentence case). */
const ACTIONS: Record<
  ActivityEntry['action'],
  { label: string; tone?: 'success' | 'attention' | 'critical' }
> = {
  send: { label: 'Sent', tone: 'success' },
  rewrite: { label: 'Sent (reworded)', tone: 'success' },
  defer: { label: 'Deferred', tone: 'attention' },
  suppress: { label: 'Suppressed', tone: 'critical' },
  skip: { label: 'Skipped' },
};
const ACTION_CHOICES = Object.entries(ACTIONS).map(([value, a]) => ({ value, label: a.label }));
const CHANNEL_CHOICES = ['email', 'sms', 'whatsapp', 'push', 'slack', 'teams', 'google_chat'].map(
  (value) => ({ value, label: value }),
);

const when = (iso: string): string => new Date(iso).toLocaleString();

const actionLabel = (e: ActivityEntry): string =>
  e.action === 'defer' && e.until ? `Deferred until ${when(e.until)}` : ACTIONS[e.action].label;

export const ActivityFeed = ({
  client,
  onOpenOrder,
}: {
  client: AdminClient;
  onOpenOrder(orderRef: string): void;
}) => {
  const [actions, setActions] = useState<string[]>([]);
  const [channels, setChannels] = useState<string[]>([]);
  // cursors[i] is the `before` of page i; page 0 starts at the newest.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<ActivityPage>({ entries: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const before = cursors.at(-1);

  const load = useCallback(async () => {
    setLoading(true);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (before) query.set('before', before);
    if (actions.length) query.set('action', actions.join(','));
    if (channels.length) query.set('channel', channels.join(','));
    const r = await client.get<ActivityPage>(`/activity?${query}`);
    setLoading(false);
    if (r.ok) {
      setPage(r.value);
      setError(undefined);
    } else setError(r.error);
  }, [client, before, actions, channels]);

  useEffect(() => {
    void load();
  }, [load]);

  const filter = (set: (v: string[]) => void) => (value: string[]) => {
    set(value);
    setCursors([undefined]);
  };
  const applied = [
    ...(actions.length
      ? [
          {
            key: 'action',
            label: `Action: ${actions.map((a) => ACTIONS[a as ActivityEntry['action']]?.label ?? a).join(', ')}`,
            onRemove: () => filter(setActions)([]),
          },
        ]
      : []),
    ...(channels.length
      ? [
          {
            key: 'channel',
            label: `Channel: ${channels.join(', ')}`,
            onRemove: () => filter(setChannels)([]),
          },
        ]
      : []),
  ];

  return (
    <Card padding="0">
      <Filters
        filters={[
          {
            key: 'action',
            label: 'Action',
            shortcut: true,
            filter: (
              <ChoiceList
                title="Action"
                titleHidden
                allowMultiple
                choices={ACTION_CHOICES}
                selected={actions}
                onChange={filter(setActions)}
              />
            ),
          },
          {
            key: 'channel',
            label: 'Channel',
            shortcut: true,
            filter: (
              <ChoiceList
                title="Channel"
                titleHidden
                allowMultiple
                choices={CHANNEL_CHOICES}
                selected={channels}
                onChange={filter(setChannels)}
              />
            ),
          },
        ]}
        appliedFilters={applied}
        hideQueryField
        onQueryChange={() => undefined}
        onQueryClear={() => undefined}
        onClearAll={() => {
          setActions([]);
          setChannels([]);
          setCursors([undefined]);
        }}
      />
      {error ? <Banner tone="critical">{error}</Banner> : null}
      <IndexTable
        resourceName={{ singular: 'message decision', plural: 'message decisions' }}
        itemCount={page.entries.length}
        selectable={false}
        loading={loading}
        headings={[
          { title: 'Time' },
          { title: 'Order' },
          { title: 'Status' },
          { title: 'Audience' },
          { title: 'Channel' },
          { title: 'Action' },
          { title: 'Why' },
        ]}
        pagination={{
          hasPrevious: cursors.length > 1,
          hasNext: page.next !== undefined,
          onPrevious: () => setCursors(cursors.slice(0, -1)),
          onNext: () => {
            if (page.next) setCursors([...cursors, page.next]);
          },
        }}
      >
        {page.entries.map((e, position) => (
          <IndexTable.Row id={e.id} key={e.id} position={position}>
            <IndexTable.Cell>
              <Text as="span" variant="bodySm" tone="subdued">
                {when(e.at)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Button variant="plain" onClick={() => onOpenOrder(e.orderRef)}>
                {e.orderNumber ?? e.orderRef}
              </Button>
            </IndexTable.Cell>
            <IndexTable.Cell>{e.status ?? '—'}</IndexTable.Cell>
            <IndexTable.Cell>{e.audience ?? '—'}</IndexTable.Cell>
            <IndexTable.Cell>{e.channel ?? '—'}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100" inlineAlign="start">
                <Badge {...(ACTIONS[e.action].tone ? { tone: ACTIONS[e.action].tone } : {})}>
                  {actionLabel(e)}
                </Badge>
                {e.delivery ? <Badge>{`message ${e.delivery}`}</Badge> : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {/* IndexTable cells do not wrap; the sentence is the point of the row, so it does. */}
              <div style={{ whiteSpace: 'normal', minWidth: '18rem' }}>
                <BlockStack gap="050">
                  <Text as="span" variant="bodySm" fontWeight="semibold">
                    {e.reasons.join(', ')}
                  </Text>
                  <Text as="span" variant="bodySm" breakWord>
                    {e.detail}
                  </Text>
                </BlockStack>
              </div>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
};
