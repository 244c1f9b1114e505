/**
 * @module The embedded admin: template editor with live preview and test send, rules, channel
 * set-up, compliance settings, and the activity feed with order look-up, timeline and manual
 * override.
 */
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { ActivityFeed } from './activity-feed.tsx';
import type { AdminClient } from './admin-client.ts';
import { ChannelsTab } from './channels-tab.tsx';
import { ComplianceTab } from './compliance-tab.tsx';

interface Rule {
  id: string;
  description?: string;
  enabled?: boolean;
  when: { statuses?: string[] };
  notify: { audience: string; channels?: string[] };
}

interface SmsRendering {
  channel: 'sms';
  text: string;
  segments: { encoding: string; segments: number; characters: number };
}
type Rendering = SmsRendering | { channel: string; [k: string]: unknown };

const STATUSES = [
  'created',
  'processing',
  'dispatched',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delayed',
  'on_hold',
  'exception',
  'cancelled',
  'refunded',
];
const CHANNELS = ['sms', 'email', 'whatsapp', 'push'];
const LOCALES = ['en', 'fr', 'es', 'de'];

/** The rules list: each rule on or off, saved together. */
const RulesTab = ({ client }: { client: AdminClient }) => {
  const [rules, setRules] = useState<Rule[]>([]);
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    void client.get<Rule[]>('/rules').then((r) => (r.ok ? setRules(r.value) : setMessage(r.error)));
  }, [client]);
  const save = async () => {
    const r = await client.send<Rule[]>('PUT', '/rules', rules);
    setMessage(r.ok ? 'Rules saved.' : r.error);
  };
  return (
    <Card>
      <BlockStack gap="300">
        {message ? (
          <Banner tone={message === 'Rules saved.' ? 'success' : 'critical'}>{message}</Banner>
        ) : null}
        {rules.map((rule, index) => (
          <InlineStack key={rule.id} align="space-between" blockAlign="center">
            <Checkbox
              label={`${rule.id}: ${(rule.when.statuses ?? ['any']).join(', ')} → ${rule.notify.audience}`}
              checked={rule.enabled !== false}
              onChange={(checked) =>
                setRules(rules.map((r, i) => (i === index ? { ...r, enabled: checked } : r)))
              }
            />
            <Badge>{(rule.notify.channels ?? ['default channels']).join(' → ')}</Badge>
          </InlineStack>
        ))}
        <Button variant="primary" onClick={() => void save()}>
          Save rules
        </Button>
      </BlockStack>
    </Card>
  );
};

interface TestDecision {
  action: string;
  reason: string;
  channel?: string;
  until?: string;
  detail: string;
}

/**
 * Sends the saved template to a member of staff through the engine, as a real order update
 * would go (consent, quiet hours and the channel's provider all apply), and shows what it decided.
 */
const TestSend = ({
  client,
  templateKey,
  channel,
  locale,
  dirty,
}: {
  client: AdminClient;
  templateKey: string;
  channel: string;
  locale: string;
  dirty: boolean;
}) => {
  const [to, setTo] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string; decisions: TestDecision[] }>();
  const [busy, setBusy] = useState(false);
  const supported = channel !== 'push';
  const send = async () => {
    setBusy(true);
    const r = await client.send<{ intents: number; decisions: TestDecision[] }>(
      'POST',
      '/test-send',
      { templateKey, channel, locale, to },
    );
    setBusy(false);
    setResult(
      r.ok
        ? {
            ok: r.value.intents > 0,
            text:
              r.value.intents > 0
                ? `Test queued: ${r.value.intents} message(s).`
                : 'No message was planned:',
            decisions: r.value.decisions,
          }
        : { ok: false, text: r.error, decisions: [] },
    );
  };
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          Send a test
        </Text>
        {result ? (
          <Banner tone={result.ok ? 'success' : 'warning'}>
            <BlockStack gap="100">
              <Text as="p">{result.text}</Text>
              {result.decisions.length > 0 ? (
                <List>
                  {result.decisions.map((d) => (
                    <List.Item key={`${d.action}-${d.reason}-${d.channel ?? ''}`}>
                      {d.detail}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </BlockStack>
          </Banner>
        ) : null}
        <InlineStack gap="200" blockAlign="end">
          <TextField
            label="Send a test to"
            value={to}
            onChange={setTo}
            autoComplete="off"
            disabled={!supported}
            placeholder={channel === 'email' ? 'you@shop.example' : '+14155550100'}
            helpText={
              !supported
                ? 'Push tests need a device; send an SMS or e-mail test instead.'
                : dirty
                  ? 'Save the template first: the test sends the saved version.'
                  : 'Sends the saved template through your channel set-up.'
            }
          />
          <Button
            loading={busy}
            disabled={!supported || dirty || to.trim() === ''}
            onClick={() => void send()}
          >
            Send test
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
};

/** The template editor: the Liquid source on the left, the rendering and SMS segments on the right. */
const TemplatesTab = ({ client }: { client: AdminClient }) => {
  const [key, setKey] = useState('dispatched');
  const [channel, setChannel] = useState('sms');
  const [locale, setLocale] = useState('en');
  const [parts, setParts] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Rendering>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    void client
      .get<{ parts: Record<string, string> }>(`/templates/${key}/${channel}/${locale}`)
      .then((r) => {
        setParts(r.ok ? r.value.parts : {});
        setSaved(false);
        setDirty(false);
      });
  }, [client, key, channel, locale]);

  useEffect(() => {
    const timer = setTimeout(() => {
      void client
        .send<{ rendering: Rendering }>('POST', '/preview', {
          templateKey: key,
          channel,
          locale,
          parts,
        })
        .then((r) => {
          if (r.ok) {
            setPreview(r.value.rendering);
            setError(undefined);
          } else setError(r.error);
        });
    }, 150);
    return () => clearTimeout(timer);
  }, [client, key, channel, locale, parts]);

  const save = async () => {
    const r = await client.send('PUT', `/templates/${key}/${channel}/${locale}`, { parts });
    setSaved(r.ok);
    if (r.ok) setDirty(false);
    else setError(r.error);
  };

  return (
    <Layout>
      <Layout.Section>
        <Card>
          <FormLayout>
            <FormLayout.Group>
              <Select label="Status" options={STATUSES} value={key} onChange={setKey} />
              <Select label="Channel" options={CHANNELS} value={channel} onChange={setChannel} />
              <Select label="Locale" options={LOCALES} value={locale} onChange={setLocale} />
            </FormLayout.Group>
            {Object.entries(parts).map(([part, source]) => (
              <TextField
                key={part}
                label={`Template: ${part}`}
                value={source}
                multiline={4}
                autoComplete="off"
                onChange={(value) => {
                  setParts({ ...parts, [part]: value });
                  setDirty(true);
                  setSaved(false);
                }}
              />
            ))}
            <InlineStack gap="200" blockAlign="center">
              <Button variant="primary" onClick={() => void save()}>
                Save template
              </Button>
              {saved ? <Badge tone="success">Saved</Badge> : null}
            </InlineStack>
          </FormLayout>
        </Card>
        <Box paddingBlockStart="400">
          <TestSend
            client={client}
            templateKey={key}
            channel={channel}
            locale={locale}
            dirty={dirty}
          />
        </Box>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Preview
            </Text>
            {error ? <Banner tone="critical">{error}</Banner> : null}
            {preview && preview.channel === 'sms' && 'segments' in preview ? (
              <>
                <Box padding="200" background="bg-surface-secondary" borderRadius="200">
                  <p data-testid="preview-text">{(preview as SmsRendering).text}</p>
                </Box>
                <InlineStack gap="200">
                  <Badge tone="info">{(preview as SmsRendering).segments.encoding}</Badge>
                  <span data-testid="segments">
                    <Badge>{`${(preview as SmsRendering).segments.segments} segment(s)`}</Badge>
                  </span>
                  <Badge>{`${(preview as SmsRendering).segments.characters} characters`}</Badge>
                </InlineStack>
              </>
            ) : (
              <pre data-testid="preview-text" style={{ whiteSpace: 'pre-wrap' }}>
                {preview ? JSON.stringify(preview, null, 2) : ''}
              </pre>
            )}
          </BlockStack>
        </Card>
      </Layout.Section>
    </Layout>
  );
};

interface TimelineEntry {
  at: string;
  kind: string;
  text: string;
}

/** Activity: the shop's feed of decisions with their reasons; an order's timeline (opened from
 * the feed or looked up by id) and the manual override form. */
const ActivityTab = ({ client }: { client: AdminClient }) => {
  const [orderRef, setOrderRef] = useState('');
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [message, setMessage] = useState<string>();
  const [status, setStatus] = useState('delivered');
  const [reason, setReason] = useState('');
  const [notify, setNotify] = useState(true);
  const load = useCallback(
    async (ref: string) => {
      const r = await client.get<{ entries: TimelineEntry[] }>(
        `/orders/${encodeURIComponent(ref)}/timeline`,
      );
      if (r.ok) {
        setEntries(r.value.entries);
        setMessage(undefined);
      } else {
        setEntries([]);
        setMessage(r.error);
      }
    },
    [client],
  );
  const open = (ref: string) => {
    setOrderRef(ref);
    void load(ref);
  };
  const override = async () => {
    const r = await client.send<{ outcome: string }>(
      'POST',
      `/orders/${encodeURIComponent(orderRef)}/override`,
      {
        status,
        reason,
        notify,
      },
    );
    setMessage(r.ok ? `Override ${r.value.outcome}.` : r.error);
    if (r.ok) await load(orderRef);
  };
  return (
    <BlockStack gap="400">
      <ActivityFeed client={client} onOpenOrder={open} />
      <Card>
        <InlineStack gap="200" blockAlign="end">
          <TextField label="Order id" value={orderRef} onChange={setOrderRef} autoComplete="off" />
          <Button onClick={() => void load(orderRef)}>Look up</Button>
        </InlineStack>
      </Card>
      {message ? <Banner>{message}</Banner> : null}
      {entries.length > 0 ? (
        <Card>
          <BlockStack gap="100">
            {entries.map((e) => (
              <InlineStack key={`${e.at}-${e.kind}-${e.text}`} gap="200">
                <Badge>{e.kind}</Badge>
                <Text as="span" variant="bodySm" tone="subdued">
                  {e.at}
                </Text>
                <Text as="span">{e.text}</Text>
              </InlineStack>
            ))}
          </BlockStack>
        </Card>
      ) : null}
      <Card>
        <FormLayout>
          <Text as="h2" variant="headingSm">
            Manual override
          </Text>
          <Select label="New status" options={STATUSES} value={status} onChange={setStatus} />
          <TextField label="Why" value={reason} onChange={setReason} autoComplete="off" />
          <Checkbox label="Tell the customer" checked={notify} onChange={setNotify} />
          <Button disabled={!orderRef || !reason} onClick={() => void override()}>
            Override status
          </Button>
        </FormLayout>
      </Card>
    </BlockStack>
  );
};

const TABS = [
  { id: 'templates', content: 'Templates' },
  { id: 'rules', content: 'Rules' },
  { id: 'channels', content: 'Channels' },
  { id: 'compliance', content: 'Compliance' },
  { id: 'activity', content: 'Activity' },
];

/** The whole admin. */
export const AdminApp = ({ client }: { client: AdminClient }) => {
  const [tab, setTab] = useState(0);
  const [shop, setShop] = useState<string>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    void client
      .get<{ shop: string }>('/session')
      .then((r) => (r.ok ? setShop(r.value.shop) : setProblem(r.error)));
  }, [client]);
  return (
    <Page title="Tidings" {...(shop ? { subtitle: `Order-status notifications for ${shop}` } : {})}>
      {problem ? <Banner tone="critical">{problem}</Banner> : null}
      {shop ? (
        <Tabs tabs={TABS} selected={tab} onSelect={setTab}>
          <Box paddingBlockStart="400">
            {tab === 0 ? <TemplatesTab client={client} /> : null}
            {tab === 1 ? <RulesTab client={client} /> : null}
            {tab === 2 ? <ChannelsTab client={client} /> : null}
            {tab === 3 ? <ComplianceTab client={client} /> : null}
            {tab === 4 ? <ActivityTab client={client} /> : null}
          </Box>
        </Tabs>
      ) : null}
    </Page>
  );
};
