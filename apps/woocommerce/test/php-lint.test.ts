import { beforeAll, describe, expect, it } from 'vitest';
import {
  filesUnder,
  type LintResult,
  lintPluginFile,
  lintPluginFiles,
  PHP_VERSIONS,
  PLUGIN_DIR,
} from './php-runtime.ts';

const phpFiles = filesUnder(PLUGIN_DIR).filter((f) => f.endsWith('.php'));

it('finds the plugin files', () => {
  expect(phpFiles).toEqual(
    expect.arrayContaining([
      'tidings-for-woocommerce.php',
      'uninstall.php',
      'includes/class-tidings-settings.php',
    ]),
  );
});

describe('php -l on PHP 7.4 (the plugin’s minimum)', () => {
  it('fails on a file PHP 7.4 cannot parse (the check can fail)', async () => {
    // Arrow functions are 7.4; `match` is 8.0 only.
    const result = await lintPluginFile('7.4', 'broken.php', '<?php\n$x = match (1) { 1 => 2 };\n');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Parse error');
  });
});

describe('php -l on PHP 8.3', () => {
  it('shows a compile-time deprecation (so the exact-output check below can fail)', async () => {
    // PHP 8.0 deprecates an optional parameter before a required one, at compile time.
    const result = await lintPluginFile('8.3', 'old.php', '<?php\nfunction f($a = 1, $b) {}\n');
    expect(result.output).toContain('Deprecated');
  });
});

describe.each(PHP_VERSIONS)('php -l (PHP %s) on every plugin file', (version) => {
  let results = new Map<string, LintResult>();
  beforeAll(async () => {
    results = await lintPluginFiles(version, phpFiles);
  });
  it.each(phpFiles)('%s: no syntax errors, nothing else printed', (file) => {
    const result = results.get(file);
    expect(result?.output.trim()).toBe(`No syntax errors detected in /plugin/${file}`);
    expect(result?.ok).toBe(true);
  });
});
