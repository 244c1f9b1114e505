/**
 * @module Real PHP for the tests, from `@php-wasm/node-7-4` (the plugin's minimum) and
 * `@php-wasm/node-8-3` (current): PHP compiled to WebAssembly and shipped through npm, so
 * `npm test` needs no system PHP. Each test file loads each version once and runs its scripts on
 * it (every `run` is a fresh PHP request: globals, functions and classes start empty); `php -l`
 * needs an interpreter of its own per CLI run, because `cli()` ends the instance.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPHPRuntime, PHP, type PHPLoaderModule } from '@php-wasm/universal';

export const PLUGIN_DIR = new URL('../wordpress-plugin/tidings-for-woocommerce/', import.meta.url)
  .pathname;
export const PHP_TEST_DIR = new URL('./php/', import.meta.url).pathname;

/** The versions every PHP test runs on: the plugin's `Requires PHP` and a current one. */
export const PHP_VERSIONS = ['7.4', '8.3'] as const;
export type PhpVersion = (typeof PHP_VERSIONS)[number];

const loaders: Record<PhpVersion, () => Promise<PHPLoaderModule>> = {
  '7.4': async () => (await import('@php-wasm/node-7-4')).getPHPLoaderModule(),
  '8.3': async () => (await import('@php-wasm/node-8-3')).getPHPLoaderModule(),
};

/** Every file under `dir`, recursively, as paths relative to it. */
export const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? filesUnder(path).map((p) => join(name, p))
      : [relative(dir, path)];
  });

const copyInto = (php: PHP, hostDir: string, guestDir: string): void => {
  for (const file of filesUnder(hostDir)) {
    const target = join(guestDir, file);
    php.mkdir(target.slice(0, target.lastIndexOf('/')));
    php.writeFile(target, readFileSync(join(hostDir, file)));
  }
};

/** A new interpreter of `version` with the plugin at /plugin and the PHP test scripts at /tests. */
const newPhp = async (version: PhpVersion): Promise<PHP> => {
  const php = new PHP(await loadPHPRuntime(await loaders[version]()));
  copyInto(php, PLUGIN_DIR, '/plugin');
  copyInto(php, PHP_TEST_DIR, '/tests');
  return php;
};

const shared = new Map<PhpVersion, Promise<PHP>>();

/** This test file's interpreter of `version`, loaded on first use. */
const sharedPhp = (version: PhpVersion): Promise<PHP> => {
  let php = shared.get(version);
  if (!php) {
    php = newPhp(version);
    shared.set(version, php);
  }
  return php;
};

/** Ends this file's interpreters (for `afterAll`). */
export const exitPhpRuntimes = async (): Promise<void> => {
  const all = [...shared.values()];
  shared.clear();
  for (const php of await Promise.all(all)) php.exit();
};

const LINT_ARGS = ['php', '-d', 'error_reporting=-1', '-d', 'display_errors=1', '-l'];

/** One file's `php -l` result: whether PHP accepted it, and everything PHP printed about it. */
export interface LintResult {
  ok: boolean;
  output: string;
}

/**
 * `php -l` on one plugin file, or on `source` when given. Every diagnostic is shown
 * (`error_reporting=-1`), so a compile-time deprecation appears in `output` instead of passing
 * silently.
 */
export const lintPluginFile = async (
  version: PhpVersion,
  file: string,
  source?: string,
): Promise<LintResult> => {
  const php = await newPhp(version);
  try {
    if (source !== undefined) php.writeFile(join('/plugin', file), source);
    const run = await php.cli([...LINT_ARGS, join('/plugin', file)]);
    const output = `${await run.stdoutText}${await run.stderrText}`;
    return { ok: (await run.exitCode) === 0, output };
  } finally {
    php.exit();
  }
};

/**
 * `php -l` on each plugin file. PHP 8.3 lints several files in one run (a CLI change in 8.3),
 * so it needs one interpreter; before 8.3 only the first file named is linted, so each file
 * gets its own. What 8.3 prints before a file's verdict line is that file's.
 */
export const lintPluginFiles = async (
  version: PhpVersion,
  files: readonly string[],
): Promise<Map<string, LintResult>> => {
  const results = new Map<string, LintResult>();
  if (version === '7.4') {
    for (const file of files) results.set(file, await lintPluginFile(version, file));
    return results;
  }
  const php = await newPhp(version);
  try {
    const run = await php.cli([...LINT_ARGS, ...files.map((f) => join('/plugin', f))]);
    let pending = '';
    for (const line of (await run.stdoutText).split('\n')) {
      pending += `${line}\n`;
      const verdict = /^(No syntax errors detected in|Errors parsing) \/plugin\/(.+)$/.exec(line);
      if (verdict?.[2] !== undefined) {
        results.set(verdict[2], {
          ok: verdict[1] === 'No syntax errors detected in',
          output: pending,
        });
        pending = '';
      }
    }
    await run.exitCode;
    return results;
  } finally {
    php.exit();
  }
};

/**
 * Runs a script from test/php on `version` with `input` readable as /tests/input.json, and
 * returns what it printed. Anything on stderr, or a non-200 answer (a fatal error), fails.
 */
export const runPhpScript = async (
  version: PhpVersion,
  script: string,
  input: unknown = {},
): Promise<string> => {
  const php = await sharedPhp(version);
  try {
    php.writeFile('/tests/input.json', JSON.stringify(input));
    const response = await php.run({ scriptPath: join('/tests', script) });
    if (response.errors) throw new Error(`PHP reported: ${response.errors}\n${response.text}`);
    if (response.httpStatusCode !== 200) {
      throw new Error(`PHP answered ${response.httpStatusCode}: ${response.text}`);
    }
    return response.text;
  } catch (error) {
    throw new Error(`PHP ${version} failed running ${script}: ${(error as Error).message}`, {
      cause: error,
    });
  }
};
