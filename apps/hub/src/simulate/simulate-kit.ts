/** @module What every `simulate --source` shares: the plan a source makes, the operator's set-up calls, the journey's facts. */
import { randomBytes } from 'node:crypto';
import { iso } from './journey.ts';

export const SIMULATE_SOURCES = [
  'admin',
  'api',
  'woocommerce',
  'shopify',
  'zendesk',
  'aftership',
  'hubspot',
  'salesforce',
] as const;
export type SimulateSource = (typeof SIMULATE_SOURCES)[number];

/** What a source module is given. */
export interface SourceContext {
  baseUrl: string;
  /** The tenant named on the command line (the demo tenant by default). */
  tenantId: string;
  orderRef: string | undefined;
  /** The tenant's API key (admin source). */
  apiKey: string | undefined;
  /** The operator key, for setting up credentials and mappings. */
  adminKey: string | undefined;
  /** The Shopify app's client secret the hub runs with (`SHOPIFY_API_SECRET`). */
  shopifySecret: string | undefined;
  /** The HubSpot app's client secret the hub runs with (`HUBSPOT_CLIENT_SECRET`). */
  hubspotSecret: string | undefined;
  /** The hub's `TIDINGS_PUBLIC_URL`: HubSpot signs the URL it called, which is this one. */
  publicUrl: string;
  http: typeof fetch;
  print: (line: string) => void;
  /** When the journey starts (ms); steps follow five minutes apart. */
  base: number;
}

/** One HTTP request of the journey, signed when it is sent so its timestamp is fresh. */
export interface SimStep {
  /** Which platform sends it, for progress and error lines. */
  via: string;
  label: string;
  request(): { path: string; headers: Record<string, string>; body: string };
  /**
   * For platforms whose answer is not the events API's (`outcome`, `intents`): what the hub did,
   * in the platform's own terms, or why it refused. Absent: the events API's shape.
   */
  interpret?(answer: unknown): StepReading;
}

export interface StepReading {
  accepted: boolean;
  /** Messages planned, when the platform's answer says (HubSpot's and Salesforce's do not). */
  intents?: number;
  /** The platform's own words for the answer, for the progress line. */
  summary: string;
  /** Set when the hub turned the step down (an execution FAILed, an event was rejected). */
  refusal?: string;
}

/** What a source prepared: where the journey lands and how it gets there. */
export interface SourcePlan {
  tenantId: string;
  orderRef: string;
  steps: SimStep[];
  /** Counts the journey's messages from the hub, for sources whose answers do not. */
  countIntents?(): Promise<number>;
}

export type SourceSetup = (context: SourceContext) => Promise<SourcePlan>;

/** A random secret of `bytes` bytes, URL-safe (≥ 32 characters for 24 bytes). */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const unixSeconds = (): string => String(Math.floor(Date.now() / 1000));

interface ErrorBody {
  error?: { code?: string; message?: string };
}

const readJson = async (res: Response): Promise<unknown> => res.json().catch(() => ({}));

const errorOf = (body: unknown): { code: string; message: string } => {
  const e = (body as ErrorBody).error;
  return { code: e?.code ?? '', message: e?.message ?? '' };
};

/** `fetch`, with "is the hub running?" instead of a bare network error. */
export const reach = async (
  context: Pick<SourceContext, 'http' | 'baseUrl'>,
  path: string,
  init: RequestInit,
): Promise<Response> =>
  context.http(`${context.baseUrl}${path}`, init).catch((cause: unknown) => {
    throw new Error(`Cannot reach ${context.baseUrl}: is the hub running (npm start)?`, { cause });
  });

/** The operator's admin API calls a source needs to set itself up on a tenant. */
export const operatorApi = (context: SourceContext, source: SimulateSource) => {
  const key = context.adminKey;
  if (!key) {
    throw new Error(
      `--source ${source} sets up the tenant with the operator key: set TIDINGS_ADMIN_KEY, pass --admin-key, or run from the directory whose .tidings/admin.key the hub uses`,
    );
  }
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await reach(context, path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = await readJson(res);
    if (res.status === 401 || res.status === 403) {
      throw new Error(
        `The hub refused the operator key (${res.status}): use the hub's TIDINGS_ADMIN_KEY or its data directory's admin.key`,
      );
    }
    return { status: res.status, ok: res.ok, answer };
  };
  const must = (what: string, r: { status: number; ok: boolean; answer: unknown }) => {
    if (r.ok) return r.answer;
    const e = errorOf(r.answer);
    throw new Error(`Could not ${what} (${r.status} ${e.code}): ${e.message}`);
  };
  return {
    /** The tenant as stored (its configuration), or undefined when there is none. */
    async tenant(
      id: string,
    ): Promise<{ name: string; config: Record<string, unknown> } | undefined> {
      const r = await call('GET', `/api/tenants/${encodeURIComponent(id)}`);
      if (r.status === 404) return undefined;
      const got = must(`read tenant ${id}`, r) as {
        name: string;
        config?: Record<string, unknown>;
      };
      return { name: got.name, config: got.config ?? {} };
    },
    async createTenant(id: string, name: string, config: Record<string, unknown>): Promise<void> {
      must(`create tenant ${id}`, await call('POST', '/api/tenants', { id, name, config }));
    },
    async putCredential(id: string, provider: string, secret: Record<string, unknown>) {
      must(
        `store the ${provider} credential on ${id}`,
        await call(
          'PUT',
          `/api/tenants/${encodeURIComponent(id)}/credentials/${encodeURIComponent(provider)}`,
          { secret },
        ),
      );
    },
    /** How many messages the hub planned for an order, from its timeline (0 when unknown). */
    async intentCount(id: string, orderRef: string): Promise<number> {
      const r = await call(
        'GET',
        `/api/tenants/${encodeURIComponent(id)}/orders/${encodeURIComponent(orderRef)}/timeline`,
      );
      if (r.status === 404) return 0;
      const got = must(`read the timeline of ${orderRef}`, r) as { entries: { kind: string }[] };
      return got.entries.filter((e) => e.kind === 'intent').length;
    },
    /**
     * A platform's tenant (a HubSpot portal, a Salesforce org) with the named tenant's settings,
     * unless it exists. Status mappings are not copied: they belong to the other platform.
     */
    async ensureTenantLike(
      id: string,
      from: string,
      label: string,
      print: (line: string) => void,
    ): Promise<void> {
      if (await this.tenant(id)) return;
      const template = await this.tenant(from);
      if (!template)
        throw new Error(`No tenant "${from}" to copy the ${label}'s settings from: pass --tenant`);
      const { statusMappings: _m, ...config } = template.config;
      await this.createTenant(id, `${template.name} (${label})`, { ...config, tenantId: id });
      print(`set up: tenant ${id} (the ${label}), settings copied from ${from}`);
    },
    /** Adds status mappings for one platform field, keeping everything else in the config. */
    async mergeMappings(
      id: string,
      platform: string,
      field: string,
      rows: Record<string, Record<string, unknown>>,
    ): Promise<void> {
      const tenant = await this.tenant(id);
      if (!tenant) throw new Error(`No tenant "${id}": pass --tenant, or start the hub once`);
      const mappings = (tenant.config.statusMappings ?? {}) as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      const ofPlatform = mappings[platform] ?? {};
      const config = {
        ...tenant.config,
        statusMappings: {
          ...mappings,
          [platform]: { ...ofPlatform, [field]: { ...(ofPlatform[field] ?? {}), ...rows } },
        },
      };
      must(
        `map ${platform} statuses on ${id}`,
        await call('PUT', `/api/tenants/${encodeURIComponent(id)}/config`, config),
      );
    },
  };
};

export type OperatorApi = ReturnType<typeof operatorApi>;

/** The journey's people, goods and parcels, for sources that build their platform's payloads. */
export const journeyFacts = (base: number) => {
  const suffix = String(base % 100_000_000).padStart(8, '0');
  const parcel = (n: 1 | 2) => {
    const trackingNumber = `1Z999AA${n}${suffix}`;
    return {
      trackingNumber,
      carrier: 'UPS',
      slug: 'ups',
      url: `https://www.ups.com/track?tracknum=${trackingNumber}`,
    };
  };
  return {
    customer: {
      firstName: 'Camille',
      lastName: 'Dupont',
      email: 'camille@example.com',
      phone: '+15145550100',
      locale: 'fr-CA',
      timeZone: 'America/Toronto',
      country: 'CA',
      province: 'QC',
    },
    number: `#${1000 + (base % 9000)}`,
    currency: 'CAD',
    total: '86.40',
    items: [
      {
        id: 'l1',
        title: 'Blue Ceramic Mug',
        sku: 'MUG-BLUE',
        quantity: 2,
        price: '28.20',
        categories: ['kitchen'],
      },
      {
        id: 'l2',
        title: 'Loose Leaf Tea',
        sku: 'TEA-LOOSE',
        quantity: 1,
        price: '30.00',
        categories: ['food'],
      },
    ],
    parcels: [parcel(1), parcel(2)] as const,
    /** The step's instant: `minutes` after the journey's start. */
    at: (minutes: number) => iso(base, minutes),
    /** The revised date the delay announces. */
    promisedDate: iso(base, 60 * 24 * 4).slice(0, 10),
  };
};

export type JourneyFacts = ReturnType<typeof journeyFacts>;

/** A numeric order id (WooCommerce, Shopify) unique enough per run; `--order` must be digits. */
export const numericOrderRef = (
  given: string | undefined,
  fallback: number,
  platform: string,
): string => {
  if (given === undefined) return String(fallback);
  if (!/^[1-9]\d{0,15}$/.test(given)) {
    throw new Error(`${platform} order ids are numbers: pass --order with digits only, or omit it`);
  }
  return given;
};
