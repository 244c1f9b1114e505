/** @module Channel set-up: the customer channel order, and each provider's credentials with a live check. */
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import type { AdminClient } from './admin-client.ts';

interface Field {
  key: string;
  label: string;
  secret: boolean;
  optional: boolean;
  options?: string[];
  format?: string;
}
interface Provider {
  provider: string;
  channel: string;
  label: string;
  liveCheck: boolean;
  fields: Field[];
  configured: boolean;
  updatedAt?: string;
  values: Record<string, string>;
  secretsSet: string[];
}
interface Check {
  ok: boolean;
  status?: string;
  detail: string;
}
const CUSTOMER_CHANNELS = ['email', 'sms', 'whatsapp', 'push'];

/** The order customers are tried in: tick to use a channel, move it up to try it earlier. */
const ChannelOrder = ({ client, initial }: { client: AdminClient; initial: string[] }) => {
  const [order, setOrder] = useState(initial);
  const [message, setMessage] = useState<{ tone: 'success' | 'critical'; text: string }>();
  const listed = [...order, ...CUSTOMER_CHANNELS.filter((c) => !order.includes(c))];
  const save = async () => {
    const r = await client.send<{ customerChannels: string[] }>('PUT', '/channel-preferences', {
      customer: order,
    });
    setMessage(
      r.ok
        ? { tone: 'success', text: 'Channel order saved.' }
        : { tone: 'critical', text: r.error },
    );
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Customer channels, in the order they are tried
        </Text>
        {message ? <Banner tone={message.tone}>{message.text}</Banner> : null}
        {listed.map((channel) => {
          const index = order.indexOf(channel);
          return (
            <InlineStack key={channel} gap="300" blockAlign="center">
              <Checkbox
                label={index >= 0 ? `${index + 1}. ${channel}` : channel}
                checked={index >= 0}
                onChange={(on) =>
                  setOrder(on ? [...order, channel] : order.filter((c) => c !== channel))
                }
              />
              <Button
                size="slim"
                disabled={index <= 0}
                accessibilityLabel={`Try ${channel} earlier`}
                onClick={() => {
                  const next = [...order];
                  next.splice(index, 1);
                  next.splice(index - 1, 0, channel);
                  setOrder(next);
                }}
              >
                Move up
              </Button>
            </InlineStack>
          );
        })}
        <InlineStack>
          <Button disabled={order.length === 0} onClick={() => void save()}>
            Save channel order
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
};

/** One provider: its fields, "Save and check", and for a stored one "Check again" and "Remove". */
const ProviderCard = ({
  client,
  provider,
  reload,
}: {
  client: AdminClient;
  provider: Provider;
  reload: () => void;
}) => {
  const [values, setValues] = useState(provider.values);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{
    tone: 'success' | 'critical' | 'warning';
    text: string;
  }>();
  const [busy, setBusy] = useState(false);
  const shown = (check: Check) =>
    setResult({
      tone: !check.ok ? 'critical' : check.status === 'format_only' ? 'warning' : 'success',
      text: check.detail,
    });
  const save = async () => {
    setBusy(true);
    const r = await client.send<{ check: Check }>('PUT', `/channels/${provider.provider}`, {
      values,
    });
    setBusy(false);
    setProblems(r.ok ? {} : (r.fields ?? {}));
    if (r.ok) {
      shown(r.value.check);
      reload();
    } else setResult({ tone: 'critical', text: r.error });
  };
  const check = async () => {
    setBusy(true);
    const r = await client.send<{ check: Check }>('POST', `/channels/${provider.provider}/check`);
    setBusy(false);
    if (r.ok) shown(r.value.check);
    else setResult({ tone: 'critical', text: r.error });
  };
  const remove = async () => {
    const r = await client.send('DELETE', `/channels/${provider.provider}`);
    if (r.ok) reload();
    else setResult({ tone: 'critical', text: r.error });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {provider.label}
          </Text>
          <Badge>{provider.channel}</Badge>
          {provider.configured ? (
            <Badge tone="success">Set up</Badge>
          ) : (
            <Badge tone="attention">Not set up</Badge>
          )}
        </InlineStack>
        {result ? <Banner tone={result.tone}>{result.text}</Banner> : null}
        <FormLayout>
          {provider.fields.map((f) =>
            f.options ? (
              <Select
                key={f.key}
                label={`${provider.label}: ${f.label}`}
                options={f.options}
                value={values[f.key] || (f.options[0] ?? '')}
                onChange={(v) => setValues({ ...values, [f.key]: v })}
                {...(problems[f.key] ? { error: problems[f.key] } : {})}
              />
            ) : (
              <TextField
                key={f.key}
                label={`${provider.label}: ${f.label}`}
                type={f.secret ? 'password' : 'text'}
                value={values[f.key] ?? ''}
                autoComplete="off"
                onChange={(v) => setValues({ ...values, [f.key]: v })}
                {...(f.secret && provider.secretsSet.includes(f.key)
                  ? { helpText: 'Stored. Leave empty to keep it.' }
                  : f.format
                    ? { helpText: f.format }
                    : {})}
                {...(problems[f.key] ? { error: problems[f.key] } : {})}
              />
            ),
          )}
        </FormLayout>
        <InlineStack gap="200">
          <Button variant="primary" loading={busy} onClick={() => void save()}>
            {provider.liveCheck ? 'Save and check' : 'Save'}
          </Button>
          {provider.configured ? (
            <>
              <Button disabled={busy} onClick={() => void check()}>
                Check again
              </Button>
              <Button tone="critical" variant="plain" onClick={() => void remove()}>
                Remove
              </Button>
            </>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
};

export const ChannelsTab = ({ client }: { client: AdminClient }) => {
  const [data, setData] = useState<{ customerChannels: string[]; providers: Provider[] }>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    void client
      .get<{ customerChannels: string[]; providers: Provider[] }>('/channels')
      .then((r) => (r.ok ? setData(r.value) : setError(r.error)));
  }, [client]);
  useEffect(load, [load]);
  if (error) return <Banner tone="critical">{error}</Banner>;
  if (!data) return null;
  return (
    <BlockStack gap="400">
      <ChannelOrder client={client} initial={data.customerChannels} />
      {data.providers.map((p) => (
        <ProviderCard key={p.provider} client={client} provider={p} reload={load} />
      ))}
    </BlockStack>
  );
};
