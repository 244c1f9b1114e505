/**
 * @module `node packages/store/src/cli/migrate.ts <url>`: applies pending schema migrations
 * (also run on every open) and exits; safe to run from several processes at once.
 */
import { migrate } from '../open-store.ts';
import { isStoreError } from '../store-error.ts';
import { redactUrl } from '../store-url.ts';

const url = process.argv[2] ?? process.env.TIDINGS_DATABASE_URL;
if (url === undefined || url === '') {
  process.stderr.write('usage: node packages/store/src/cli/migrate.ts <database-url>\n');
  process.stderr.write('       (or set TIDINGS_DATABASE_URL)\n');
  process.exit(2);
}

try {
  const applied = await migrate(url);
  process.stdout.write(
    applied.length === 0
      ? `${redactUrl(url)}: schema up to date\n`
      : `${redactUrl(url)}: applied migration(s) ${applied.join(', ')}\n`,
  );
} catch (error) {
  const code = isStoreError(error) ? error.code : 'error';
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  process.stderr.write(`migrate failed (${code}): ${message}${cause}\n`);
  process.exit(1);
}
