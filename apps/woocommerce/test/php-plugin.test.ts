import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPhpScript } from './php-runtime.ts';

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/signing-vectors.json', import.meta.url), 'utf8'),
) as { vectors: unknown[] };

interface PhpResult {
  name: string;
  ok: boolean;
  message: string;
}

// The PHP suite runs once; each of its tests is reported as a test here.
const results = JSON.parse(await runPhpScript('plugin-tests.php', vectors)) as PhpResult[];

describe('the plugin’s PHP unit tests (PHP 7.4, WordPress stand-ins)', () => {
  it('ran', () => {
    expect(results.length).toBeGreaterThanOrEqual(14);
  });
  it.each(results)('$name', (result) => {
    expect(result.message).toBe('');
    expect(result.ok).toBe(true);
  });
});
