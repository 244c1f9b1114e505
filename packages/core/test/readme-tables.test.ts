import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { README, withCurrentTables } from '../scripts/readme-tables.ts';

it('shows in the README exactly the vocabulary rows the code uses (npm run docs rewrites them)', () => {
  const readme = readFileSync(README, 'utf8');
  expect(readme).toBe(withCurrentTables(readme));
});
