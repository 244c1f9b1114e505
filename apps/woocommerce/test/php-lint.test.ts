import { describe, expect, it } from 'vitest';
import { filesUnder, lintPluginFile, PLUGIN_DIR } from './php-runtime.ts';

const phpFiles = filesUnder(PLUGIN_DIR).filter((f) => f.endsWith('.php'));

describe('php -l (PHP 7.4, the plugin’s minimum) on every plugin file', () => {
  it('finds the plugin files', () => {
    expect(phpFiles).toEqual(
      expect.arrayContaining(['tidings-for-woocommerce.php', 'uninstall.php']),
    );
  });

  it('fails on a file PHP 7.4 cannot parse (the check can fail)', async () => {
    // Arrow functions are 7.4; `match` is 8.0 only.
    const result = await lintPluginFile('broken.php', '<?php\n$x = match (1) { 1 => 2 };\n');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Parse error');
  });

  it.each(phpFiles)('%s has no syntax errors', async (file) => {
    const result = await lintPluginFile(file);
    expect(result.output).toContain('No syntax errors detected');
    expect(result.ok).toBe(true);
  });
});
