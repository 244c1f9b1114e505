import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exitPhpRuntimes, PHP_VERSIONS, runPhpScript } from './php-runtime.ts';

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/signing-vectors.json', import.meta.url), 'utf8'),
) as { vectors: unknown[] };

interface PhpResult {
  name: string;
  ok: boolean;
  message: string;
}

// Each version runs each PHP suite once; each of its tests is reported as a test here.
const results = new Map<string, PhpResult[]>();
const SCRIPTS = ['plugin-tests.php', 'admin-tests.php'];
for (const version of PHP_VERSIONS) {
  const ran: PhpResult[] = [];
  for (const script of SCRIPTS) {
    ran.push(...(JSON.parse(await runPhpScript(version, script, vectors)) as PhpResult[]));
  }
  results.set(version, ran);
}
afterAll(exitPhpRuntimes);

describe.each(PHP_VERSIONS)(
  'the plugin’s PHP unit tests (PHP %s, WordPress stand-ins)',
  (version) => {
    const ran = results.get(version) ?? [];
    it('ran', () => {
      expect(ran.length).toBeGreaterThanOrEqual(24);
    });
    it.each(ran)('$name', (result) => {
      expect(result.message).toBe('');
      expect(result.ok).toBe(true);
    });
  },
);

describe.each(PHP_VERSIONS)('the PHP test kit (PHP %s)', (version) => {
  it('fails a test on any notice, warning or deprecation, compile-time ones included', async () => {
    const ran = JSON.parse(await runPhpScript(version, 'kit-self-test.php')) as PhpResult[];
    const failed = Object.fromEntries(ran.map((r) => [r.name, r.ok ? '' : r.message]));
    const php8 = version !== '7.4';
    expect(failed['a deprecation the code raises itself']).toContain('ErrorException: old');
    expect(failed['a notice or warning: reading a missing array key']).toMatch(
      /ErrorException: Undefined (index|array key)/,
    );
    const nullToString =
      failed['PHP 8.1: null passed to a string parameter of a built-in function'];
    const compileTime =
      failed[
        'PHP 8.0: a file with an optional parameter before a required one, raised while compiling it'
      ];
    if (php8) {
      expect(nullToString).toContain('Passing null to parameter #1');
      expect(compileTime).toContain('Optional parameter $a declared before required parameter $b');
    } else {
      expect([nullToString, compileTime]).toEqual(['', '']);
    }
  });
});
