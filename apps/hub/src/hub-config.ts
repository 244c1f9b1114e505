/**
 * @module The hub's configuration, from the environment: every problem is reported at start, one
 * clear line each, instead of a crash later.
 */
import { resolve } from 'node:path';

export interface HubConfig {
  port: number;
  host: string;
  /** Where data lives for the embedded default (SQLite file, generated keys). */
  dataDir: string;
  databaseUrl: string;
  /** `TIDINGS_SECRET_KEY`, or a key generated into `dataDir` for the embedded default. */
  secretKey: string | undefined;
  /** Operator key for tenant management; generated into `dataDir` when unset. */
  adminKey: string | undefined;
  /** Run the dispatcher in this process (off for web-only processes in scaled deployments). */
  dispatcher: boolean;
  /** The URL providers and browsers reach this server at, for receipts and printed links. */
  publicUrl: string;
  logLevel: string;
  /** Create the demo tenant with the dev sink on every channel. */
  demo: boolean;
  /** Hours a dispatched shipment may go without a carrier scan before `delayed` is raised. */
  slaHours: number | undefined;
  /**
   * Where a channel with no provider credential goes: `fallback` to the dev sink (development,
   * the demo), `off` nowhere, so the dispatcher moves on to the rule's next channel.
   */
  devSink: DevSinkMode;
}

export type DevSinkMode = 'fallback' | 'off';
const DEV_SINK_MODES: readonly string[] = ['fallback', 'off'] satisfies DevSinkMode[];

export type ConfigResult = { ok: true; config: HubConfig } | { ok: false; problems: string[] };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment; `cwd` anchors the default data directory. */
export const readHubConfig = (env: NodeJS.ProcessEnv, cwd: string): ConfigResult => {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push(`PORT must be a port number (0–65535); got "${env.PORT}".`);
  }
  const dataDir = resolve(cwd, env.TIDINGS_DATA_DIR ?? '.tidings');
  const databaseUrl = env.TIDINGS_DATABASE_URL ?? `sqlite:${resolve(dataDir, 'tidings.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/|file:|\/|\.)/.test(databaseUrl)) {
    problems.push(
      `TIDINGS_DATABASE_URL must be a postgres:// URL or a SQLite path (sqlite:/path/to/file.db); got "${databaseUrl.replace(/\/\/[^@]*@/, '//…@')}".`,
    );
  }
  const secretKey = env.TIDINGS_SECRET_KEY;
  if (secretKey !== undefined && secretKey.trim() === '') {
    problems.push(
      'TIDINGS_SECRET_KEY is set but empty; unset it (dev) or give 32 bytes in base64 or hex.',
    );
  }
  const dispatcher = (env.TIDINGS_DISPATCHER ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(dispatcher)) {
    problems.push(`TIDINGS_DISPATCHER must be "on" or "off"; got "${env.TIDINGS_DISPATCHER}".`);
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}".`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const publicUrl =
    env.TIDINGS_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  try {
    new URL(publicUrl);
  } catch {
    problems.push(`TIDINGS_PUBLIC_URL must be an absolute URL; got "${publicUrl}".`);
  }
  const slaHours = env.TIDINGS_SLA_HOURS === undefined ? undefined : Number(env.TIDINGS_SLA_HOURS);
  if (slaHours !== undefined && !(Number.isFinite(slaHours) && slaHours > 0)) {
    problems.push(
      `TIDINGS_SLA_HOURS must be a positive number of hours; got "${env.TIDINGS_SLA_HOURS}".`,
    );
  }
  // Production must not report a message as sent when it only reached the dev inbox.
  const devSink = env.TIDINGS_DEV_SINK ?? (env.NODE_ENV === 'production' ? 'off' : 'fallback');
  if (!DEV_SINK_MODES.includes(devSink)) {
    problems.push(
      `TIDINGS_DEV_SINK must be "fallback" (channels without provider credentials go to the dev inbox) or "off"; got "${devSink}".`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      port,
      host,
      dataDir,
      databaseUrl,
      secretKey: secretKey?.trim() || undefined,
      adminKey: env.TIDINGS_ADMIN_KEY?.trim() || undefined,
      dispatcher: ['on', 'true', '1'].includes(dispatcher),
      publicUrl: publicUrl.replace(/\/$/, ''),
      logLevel,
      demo: (env.TIDINGS_DEMO ?? 'on') !== 'off',
      slaHours,
      devSink: devSink as DevSinkMode,
    },
  };
};
