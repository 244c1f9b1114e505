/** @module `npm run build`: the admin UI bundle and the server bundle into `dist/`, sizes printed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildAdminBundle, buildServerBundle, DIST_DIR } from '../src/admin-bundle.ts';

mkdirSync(DIST_DIR, { recursive: true });
const ui = await buildAdminBundle();
writeFileSync(`${DIST_DIR}admin.js`, ui);
const server = await buildServerBundle();
writeFileSync(`${DIST_DIR}server.js`, server);
console.log(
  `dist/admin.js ${(ui.length / 1024).toFixed(1)} KiB; dist/server.js ${(server.length / 1024).toFixed(1)} KiB`,
);
