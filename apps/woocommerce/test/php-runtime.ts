/**
 * @module Real PHP 7.4 (the plugin's minimum) for the tests, from `@php-wasm/node-7-4`: PHP
 * compiled to WebAssembly and shipped through npm, so `npm test` needs no system PHP. Each call
 * gets a fresh interpreter with the plugin and the test scripts copied into its file system.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getPHPLoaderModule } from '@php-wasm/node-7-4';
import { loadPHPRuntime, PHP } from '@php-wasm/universal';

export const PLUGIN_DIR = new URL('../wordpress-plugin/tidings-for-woocommerce/', import.meta.url)
  .pathname;
export const PHP_TEST_DIR = new URL('./php/', import.meta.url).pathname;

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

/** A fresh PHP 7.4 with the plugin at /plugin and the PHP test scripts at /tests. */
export const freshPhp = async (): Promise<PHP> => {
  const php = new PHP(await loadPHPRuntime(await getPHPLoaderModule()));
  copyInto(php, PLUGIN_DIR, '/plugin');
  copyInto(php, PHP_TEST_DIR, '/tests');
  return php;
};

/**
 * `php -l` on one plugin file, or on `source` when given: `{ ok, output }`, the output as PHP
 * prints it.
 */
export const lintPluginFile = async (
  file: string,
  source?: string,
): Promise<{ ok: boolean; output: string }> => {
  const php = await freshPhp();
  try {
    if (source !== undefined) php.writeFile(join('/plugin', file), source);
    const run = await php.cli(['php', '-l', join('/plugin', file)]);
    const output = `${await run.stdoutText}${await run.stderrText}`;
    return { ok: (await run.exitCode) === 0, output };
  } finally {
    php.exit();
  }
};

/** Runs a script from test/php with `$_SERVER['argv']`-free input passed as a JSON file. */
export const runPhpScript = async (script: string, input: unknown = {}): Promise<string> => {
  const php = await freshPhp();
  try {
    php.writeFile('/tests/input.json', JSON.stringify(input));
    const response = await php.run({ scriptPath: join('/tests', script) });
    const errors = response.errors;
    if (errors) throw new Error(`PHP reported: ${errors}\n${response.text}`);
    return response.text;
  } catch (error) {
    throw new Error(`PHP failed running ${script}: ${(error as Error).message}`, { cause: error });
  } finally {
    php.exit();
  }
};
