import { afterAll, describe, expect, it } from 'vitest';
import { exitPhpRuntimes, PHP_VERSIONS, runPhpScript } from './php-runtime.ts';

type Left = Record<string, { options: string[]; pending: string[] }>;

const uninstall = async (
  version: (typeof PHP_VERSIONS)[number],
  input: { uninstalling: boolean; sites?: number },
): Promise<Left> => JSON.parse(await runPhpScript(version, 'uninstall-run.php', input)) as Left;

/** What another plugin and WordPress keep: the plugin must leave exactly this. */
const UNTOUCHED = { options: ['blogname', 'tidings-delivery-log'], pending: ['other_plugin_hook'] };

afterAll(exitPhpRuntimes);

describe.each(PHP_VERSIONS)('uninstall.php (PHP %s)', (version) => {
  it('does nothing unless WordPress is uninstalling the plugin', async () => {
    const left = await uninstall(version, { uninstalling: false });
    expect(left['1']?.options).toEqual(
      expect.arrayContaining([
        'tidings_settings',
        'tidings_undelivered',
        '_transient_tidings_notice_1',
        '_transient_tidings_reveal_1',
      ]),
    );
    expect(left['1']?.options.filter((name) => name.startsWith('tidings_delivery_'))).toHaveLength(
      2,
    );
    expect(left['1']?.pending).toContain('tidings_deliver');
  });

  it('deletes every option, delivery, notice and pending action of the plugin, and nothing else', async () => {
    expect(await uninstall(version, { uninstalling: true })).toEqual({ 1: UNTOUCHED });
  });

  it('cleans every site of a network, beyond the first hundred', async () => {
    const left = await uninstall(version, { uninstalling: true, sites: 101 });
    expect(Object.keys(left)).toHaveLength(101);
    for (const site of Object.values(left)) expect(site).toEqual(UNTOUCHED);
  });
});
