/**
 * @module Compliance settings: the shop's quiet hours per message class, channels that need an
 * explicit opt-in, restricted product categories, time zone and cancel link; and, read-only, the
 * jurisdiction rules Tidings applies by law wherever the recipient is.
 */
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  DataTable,
  FormLayout,
  InlineStack,
  Tag,
  Text,
  TextField,
} from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { AdminClient } from './admin-client.ts';

type Window = { start: string; end: string } | null;
type MessageClass = 'critical' | 'transactional' | 'marketing';
interface Jurisdiction {
  id: string;
  marketingWindow?: { start: string; end: string };
  frequencyCap?: { max: number; hours: number };
  forbiddenDays?: string;
  source: string;
  verified: boolean;
}
interface Compliance {
  defaultTimeZone: string;
  quietHours: Record<MessageClass, Window>;
  explicitConsentChannels: string[];
  restrictedCategories: string[];
  cancelUrl?: string;
  channels: string[];
  jurisdictions: Jurisdiction[];
}

const CLASSES: MessageClass[] = ['critical', 'transactional', 'marketing'];
const DEFAULT_WINDOW = { start: '21:00', end: '08:00' };

const QuietHours = ({
  kind,
  value,
  onChange,
}: {
  kind: MessageClass;
  value: Window;
  onChange: (w: Window) => void;
}) => (
  <BlockStack gap="200">
    <Checkbox
      label={`Quiet hours for ${kind} messages`}
      checked={value !== null}
      onChange={(on) => onChange(on ? DEFAULT_WINDOW : null)}
    />
    {value ? (
      <FormLayout.Group condensed>
        <TextField
          label={`${kind} quiet hours start`}
          type="time"
          value={value.start}
          autoComplete="off"
          onChange={(start) => onChange({ ...value, start })}
        />
        <TextField
          label={`${kind} quiet hours end`}
          type="time"
          value={value.end}
          autoComplete="off"
          onChange={(end) => onChange({ ...value, end })}
        />
      </FormLayout.Group>
    ) : null}
  </BlockStack>
);

export const ComplianceTab = ({ client }: { client: AdminClient }) => {
  const [settings, setSettings] = useState<Compliance>();
  const [category, setCategory] = useState('');
  const [message, setMessage] = useState<{ tone: 'success' | 'critical'; text: string }>();
  useEffect(() => {
    void client
      .get<Compliance>('/compliance')
      .then((r) => (r.ok ? setSettings(r.value) : setMessage({ tone: 'critical', text: r.error })));
  }, [client]);
  if (!settings) return message ? <Banner tone="critical">{message.text}</Banner> : null;
  const set = (patch: Partial<Compliance>) => setSettings({ ...settings, ...patch });
  const addCategory = () => {
    const c = category.trim();
    if (c && !settings.restrictedCategories.includes(c))
      set({ restrictedCategories: [...settings.restrictedCategories, c] });
    setCategory('');
  };
  const save = async () => {
    const r = await client.send<Compliance>('PUT', '/compliance', {
      defaultTimeZone: settings.defaultTimeZone,
      quietHours: settings.quietHours,
      explicitConsentChannels: settings.explicitConsentChannels,
      restrictedCategories: settings.restrictedCategories,
      cancelUrl: settings.cancelUrl ?? '',
    });
    if (r.ok) {
      setSettings(r.value);
      setMessage({ tone: 'success', text: 'Compliance settings saved.' });
    } else setMessage({ tone: 'critical', text: r.error });
  };
  return (
    <BlockStack gap="400">
      {message ? <Banner tone={message.tone}>{message.text}</Banner> : null}
      <Card>
        <FormLayout>
          <Text as="h2" variant="headingSm">
            Quiet hours (in the recipient's time zone)
          </Text>
          {CLASSES.map((kind) => (
            <QuietHours
              key={kind}
              kind={kind}
              value={settings.quietHours[kind]}
              onChange={(w) => set({ quietHours: { ...settings.quietHours, [kind]: w } })}
            />
          ))}
          <TextField
            label="Shop time zone (when the recipient's is unknown)"
            value={settings.defaultTimeZone}
            autoComplete="off"
            helpText="An IANA time zone, like America/New_York"
            onChange={(defaultTimeZone) => set({ defaultTimeZone })}
          />
        </FormLayout>
      </Card>
      <Card>
        <FormLayout>
          <ChoiceList
            allowMultiple
            title="Channels where even order updates need an explicit opt-in"
            choices={settings.channels.map((c) => ({ label: c, value: c }))}
            selected={settings.explicitConsentChannels}
            onChange={(explicitConsentChannels) => set({ explicitConsentChannels })}
          />
          <InlineStack gap="200" blockAlign="end">
            <TextField
              label="Restricted product category"
              value={category}
              autoComplete="off"
              onChange={setCategory}
            />
            <Button onClick={addCategory}>Add category</Button>
          </InlineStack>
          <InlineStack gap="200">
            {settings.restrictedCategories.map((c) => (
              <Tag
                key={c}
                onRemove={() =>
                  set({
                    restrictedCategories: settings.restrictedCategories.filter((x) => x !== c),
                  })
                }
              >
                {c}
              </Tag>
            ))}
          </InlineStack>
          <TextField
            label="Where customers cancel a delayed order"
            value={settings.cancelUrl ?? ''}
            autoComplete="off"
            type="url"
            onChange={(cancelUrl) => set({ cancelUrl })}
          />
          <InlineStack>
            <Button variant="primary" onClick={() => void save()}>
              Save compliance settings
            </Button>
          </InlineStack>
        </FormLayout>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            Jurisdiction rules applied by law
          </Text>
          <DataTable
            columnContentTypes={['text', 'text', 'text', 'text', 'text', 'text']}
            headings={['Where', 'Marketing hours', 'Frequency cap', 'Forbidden days', 'Source', '']}
            rows={settings.jurisdictions.map((j) => [
              j.id,
              j.marketingWindow ? `${j.marketingWindow.start}–${j.marketingWindow.end}` : '—',
              j.frequencyCap ? `${j.frequencyCap.max} per ${j.frequencyCap.hours} h` : '—',
              j.forbiddenDays ?? '—',
              j.source,
              j.verified ? (
                <Badge key="verified" tone="success">
                  verified
                </Badge>
              ) : (
                <Badge key="unconfirmed" tone="attention">
                  unconfirmed
                </Badge>
              ),
            ])}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
};
