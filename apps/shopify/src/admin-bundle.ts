/**
 * @module The embedded admin's browser bundle: React + Polaris from `admin-ui/admin-main.tsx`,
 * bundled by esbuild (ESM, minified). `npm run build` writes it to `dist/`; without a build the
 * server bundles once on first request.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const ADMIN_ENTRY = `${here}admin-ui/admin-main.tsx`;
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/** Bundles the admin UI; returns the JavaScript text. */
export const buildAdminBundle = async (options: { minify?: boolean } = {}): Promise<string> => {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ADMIN_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: options.minify ?? true,
    write: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
};

/**
 * The admin bundle to serve: `dist/admin.js` unless a source of the UI beside it is newer (a
 * stale build would otherwise hide every UI change made since); bundled now when there is none.
 */
export const loadAdminBundle = async (
  dirs: { dist: string; sources: string } = { dist: DIST_DIR, sources: `${here}admin-ui/` },
  bundle: () => Promise<string> = buildAdminBundle,
): Promise<string> => {
  const built = await stat(`${dirs.dist}admin.js`).catch(() => undefined);
  if (built) {
    const names = await readdir(dirs.sources).catch(() => [] as string[]);
    const times = await Promise.all(
      names.map(
        async (n) => (await stat(`${dirs.sources}${n}`).catch(() => undefined))?.mtimeMs ?? 0,
      ),
    );
    if (times.every((t) => t <= built.mtimeMs)) return readFile(`${dirs.dist}admin.js`, 'utf8');
  }
  return bundle();
};

/** Bundles the app's server side (`src/index.ts`) for Node, ESM, with packages left external. */
export const buildServerBundle = async (): Promise<string> => {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [`${here}index.ts`],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: ['node24'],
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
};

/** Polaris' stylesheet, as shipped in the package. */
export const readPolarisCss = async (): Promise<string> => {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@shopify/polaris/package.json');
  return readFile(new URL('build/esm/styles.css', `file://${pkg}`), 'utf8');
};
