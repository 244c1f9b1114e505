/**
 * @module The providers a shop can send through, the fields each needs (stored in the shape the
 * `@tidings/channels` adapter of that provider reads), and a live credential check against an
 * endpoint of the provider that only reads:
 *
 * - Twilio: `GET /2010-04-01/Accounts/{Sid}.json` (twilio.com/docs/iam/api/account), `status`
 *   must be `active`.
 * - SendGrid: `GET /v3/scopes` (twilio.com/docs/sendgrid/api-reference/api-key-permissions),
 *   the key must hold `mail.send`; EU subusers at `api.eu.sendgrid.com`.
 * - Mailgun: `GET /v4/domains/{name}` (documentation.mailgun.com, "Get domain details"), basic
 *   auth `api:<key>`, on the domain's region host.
 * - MessageBird: `GET https://rest.messagebird.com/balance` with `AccessKey <key>`.
 * - WhatsApp Cloud: `GET /{version}/{phone-number-id}` on the Graph API with the system user token.
 * - OneSignal: the app's REST API key cannot read its own app (that needs the organization key),
 *   so only the format is checked.
 */
import type { CustomerChannel } from '@tidings/core';
import type { FetchLike } from './shopify-library.ts';

export interface CredentialField {
  key: string;
  label: string;
  /** Never sent back to the browser once stored. */
  secret?: boolean;
  optional?: boolean;
  pattern?: RegExp;
  /** What the pattern wants, for the error message. */
  format?: string;
  options?: readonly string[];
}

type Values = Readonly<Record<string, string>>;

export interface ProviderSetup {
  provider: string;
  channel: CustomerChannel;
  label: string;
  fields: readonly CredentialField[];
  /** The stored credential, in the adapter's `…Credentials` shape. */
  toCredential(values: Values): Record<string, unknown>;
  /** The fields back from a stored credential (for re-checks and to show what is set). */
  fromCredential(stored: Record<string, unknown>): Record<string, string>;
  /** The read-only request that proves the credential works; absent when none exists. */
  check?: (values: Values) => { url: string; headers: Record<string, string> };
  /** Reads a 2xx answer: `undefined` when it is good, else why not. */
  accept?: (body: unknown) => string | undefined;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const E164_OR_SENDER = /^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export const PROVIDERS: readonly ProviderSetup[] = [
  {
    provider: 'twilio',
    channel: 'sms',
    label: 'Twilio SMS',
    fields: [
      {
        key: 'accountSid',
        label: 'Account SID',
        pattern: /^AC[0-9a-fA-F]{32}$/,
        format: 'AC followed by 32 hex digits',
      },
      {
        key: 'authToken',
        label: 'Auth token',
        secret: true,
        pattern: /^[0-9a-fA-F]{32}$/,
        format: '32 hex digits',
      },
      {
        key: 'from',
        label: 'Sender (E.164 number or alphanumeric id)',
        optional: true,
        pattern: E164_OR_SENDER,
        format: '+14155550100 or up to 11 letters and digits',
      },
      {
        key: 'messagingServiceSid',
        label: 'Messaging service SID',
        optional: true,
        pattern: /^MG[0-9a-fA-F]{32}$/,
        format: 'MG followed by 32 hex digits',
      },
    ],
    toCredential: (v) => ({
      accountSid: v.accountSid,
      authToken: v.authToken,
      ...(v.from ? { from: v.from } : {}),
      ...(v.messagingServiceSid ? { messagingServiceSid: v.messagingServiceSid } : {}),
    }),
    fromCredential: (c) => ({
      accountSid: str(c.accountSid),
      authToken: str(c.authToken),
      from: str(c.from),
      messagingServiceSid: str(c.messagingServiceSid),
    }),
    check: (v) => ({
      url: `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(v.accountSid ?? '')}.json`,
      headers: { authorization: basic(v.accountSid ?? '', v.authToken ?? '') },
    }),
    accept: (body) => {
      const status = (body as { status?: unknown } | null)?.status;
      return status === 'active'
        ? undefined
        : `the Twilio account is ${String(status ?? 'unknown')}, not active`;
    },
  },
  {
    provider: 'messagebird',
    channel: 'sms',
    label: 'MessageBird SMS',
    fields: [
      {
        key: 'accessKey',
        label: 'Access key',
        secret: true,
        pattern: /^[A-Za-z0-9]{20,40}$/,
        format: '20–40 letters and digits',
      },
      {
        key: 'originator',
        label: 'Originator',
        pattern: E164_OR_SENDER,
        format: '+14155550100 or up to 11 letters and digits',
      },
    ],
    toCredential: (v) => ({ accessKey: v.accessKey, originator: v.originator }),
    fromCredential: (c) => ({ accessKey: str(c.accessKey), originator: str(c.originator) }),
    check: (v) => ({
      url: 'https://rest.messagebird.com/balance',
      headers: { authorization: `AccessKey ${v.accessKey ?? ''}` },
    }),
  },
  {
    provider: 'sendgrid',
    channel: 'email',
    label: 'SendGrid e-mail',
    fields: [
      {
        key: 'apiKey',
        label: 'API key',
        secret: true,
        pattern: /^SG\.[\w-]{10,}\.[\w-]{10,}$/,
        format: 'SG.xxx.yyy',
      },
      { key: 'fromEmail', label: 'From address', pattern: EMAIL, format: 'an e-mail address' },
      { key: 'fromName', label: 'From name', optional: true },
      { key: 'region', label: 'Region', options: ['global', 'eu'] },
    ],
    toCredential: (v) => ({
      apiKey: v.apiKey,
      from: { email: v.fromEmail, ...(v.fromName ? { name: v.fromName } : {}) },
      region: v.region === 'eu' ? 'eu' : 'global',
    }),
    fromCredential: (c) => {
      const from = (c.from ?? {}) as { email?: unknown; name?: unknown };
      return {
        apiKey: str(c.apiKey),
        fromEmail: str(from.email),
        fromName: str(from.name),
        region: str(c.region) || 'global',
      };
    },
    check: (v) => ({
      url: `https://${v.region === 'eu' ? 'api.eu.sendgrid.com' : 'api.sendgrid.com'}/v3/scopes`,
      headers: { authorization: `Bearer ${v.apiKey ?? ''}` },
    }),
    accept: (body) => {
      const scopes = (body as { scopes?: unknown } | null)?.scopes;
      return Array.isArray(scopes) && scopes.includes('mail.send')
        ? undefined
        : 'the API key lacks the Mail Send permission (mail.send)';
    },
  },
  {
    provider: 'mailgun',
    channel: 'email',
    label: 'Mailgun e-mail',
    fields: [
      {
        key: 'apiKey',
        label: 'API key',
        secret: true,
        pattern: /^[\w-]{20,}$/,
        format: 'a Mailgun API key',
      },
      {
        key: 'domain',
        label: 'Sending domain',
        pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/i,
        format: 'mg.example.com',
      },
      { key: 'region', label: 'Region', options: ['us', 'eu'] },
      {
        key: 'from',
        label: 'From (Name <address>)',
        pattern: /^(.+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
        format: 'Shop <orders@mg.example.com>',
      },
    ],
    toCredential: (v) => ({
      apiKey: v.apiKey,
      domain: v.domain,
      region: v.region === 'eu' ? 'eu' : 'us',
      from: v.from,
    }),
    fromCredential: (c) => ({
      apiKey: str(c.apiKey),
      domain: str(c.domain),
      region: str(c.region) || 'us',
      from: str(c.from),
    }),
    check: (v) => ({
      url: `https://${v.region === 'eu' ? 'api.eu.mailgun.net' : 'api.mailgun.net'}/v4/domains/${encodeURIComponent(v.domain ?? '')}`,
      headers: { authorization: basic('api', v.apiKey ?? '') },
    }),
  },
  {
    provider: 'whatsapp-cloud',
    channel: 'whatsapp',
    label: 'WhatsApp Cloud API',
    fields: [
      {
        key: 'phoneNumberId',
        label: 'Phone number ID',
        pattern: /^\d{6,20}$/,
        format: 'digits (the ID, not the number)',
      },
      {
        key: 'accessToken',
        label: 'System user access token',
        secret: true,
        pattern: /^\S{20,}$/,
        format: 'a Meta access token',
      },
      {
        key: 'appSecret',
        label: 'App secret',
        secret: true,
        pattern: /^[0-9a-f]{32}$/,
        format: '32 hex digits',
      },
    ],
    toCredential: (v) => ({
      phoneNumberId: v.phoneNumberId,
      accessToken: v.accessToken,
      appSecret: v.appSecret,
    }),
    fromCredential: (c) => ({
      phoneNumberId: str(c.phoneNumberId),
      accessToken: str(c.accessToken),
      appSecret: str(c.appSecret),
    }),
    check: (v) => ({
      url: `https://graph.facebook.com/v23.0/${encodeURIComponent(v.phoneNumberId ?? '')}?fields=display_phone_number,verified_name`,
      headers: { authorization: `Bearer ${v.accessToken ?? ''}` },
    }),
  },
  {
    provider: 'onesignal',
    channel: 'push',
    label: 'OneSignal push',
    fields: [
      {
        key: 'appId',
        label: 'App ID',
        pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        format: 'a UUID',
      },
      {
        key: 'restApiKey',
        label: 'App REST API key',
        secret: true,
        pattern: /^\S{20,}$/,
        format: 'the app’s REST API key',
      },
    ],
    toCredential: (v) => ({ appId: v.appId, restApiKey: v.restApiKey }),
    fromCredential: (c) => ({ appId: str(c.appId), restApiKey: str(c.restApiKey) }),
  },
];

export const providerSetup = (provider: string): ProviderSetup | undefined =>
  PROVIDERS.find((p) => p.provider === provider);

/** Field problems of `values` for `setup` (empty when the shape is right), by field key. */
export const fieldProblems = (setup: ProviderSetup, values: unknown): Record<string, string> => {
  const problems: Record<string, string> = {};
  const given = (typeof values === 'object' && values !== null ? values : {}) as Record<
    string,
    unknown
  >;
  for (const key of Object.keys(given))
    if (!setup.fields.some((f) => f.key === key)) problems[key] = 'is not a field of this provider';
  for (const f of setup.fields) {
    const v = given[f.key];
    if (v === undefined || v === '') {
      if (!f.optional) problems[f.key] = 'is required';
      continue;
    }
    if (typeof v !== 'string') problems[f.key] = 'must be text';
    else if (f.options && !f.options.includes(v))
      problems[f.key] = `must be one of ${f.options.join(', ')}`;
    else if (f.pattern && !f.pattern.test(v))
      problems[f.key] = `must look like ${f.format ?? f.pattern.source}`;
  }
  if (setup.provider === 'twilio' && !given.from && !given.messagingServiceSid)
    problems.from = 'a sender or a messaging service SID is required';
  return problems;
};

export type CheckOutcome =
  | { ok: true; status: 'verified' | 'format_only'; detail: string }
  | {
      ok: false;
      code: 'credentials_rejected' | 'provider_unreachable';
      detail: string;
      providerStatus?: number;
    };

/** Runs the provider's live check (5 s budget); `format_only` for providers without one. */
export const checkCredentials = async (
  setup: ProviderSetup,
  values: Values,
  fetchImpl: FetchLike,
): Promise<CheckOutcome> => {
  if (!setup.check)
    return {
      ok: true,
      status: 'format_only',
      detail: `${setup.label} has no read-only endpoint the key can call; the format was checked.`,
    };
  const { url, headers } = setup.check(values);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (cause) {
    return {
      ok: false,
      code: 'provider_unreachable',
      detail: `${setup.label} did not answer (${(cause as Error).name}).`,
    };
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.status >= 500 || response.status === 429)
    return {
      ok: false,
      code: 'provider_unreachable',
      detail: `${setup.label} answered ${response.status}; try again later.`,
      providerStatus: response.status,
    };
  if (!response.ok)
    return {
      ok: false,
      code: 'credentials_rejected',
      detail: `${setup.label} refused the credentials (HTTP ${response.status}).`,
      providerStatus: response.status,
    };
  const problem = setup.accept?.(body);
  if (problem)
    return {
      ok: false,
      code: 'credentials_rejected',
      detail: `${setup.label}: ${problem}.`,
      providerStatus: response.status,
    };
  return { ok: true, status: 'verified', detail: `${setup.label} accepted the credentials.` };
};
