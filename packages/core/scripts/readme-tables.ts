/**
 * @module Keeps the vocabulary tables in the core README in step with the code:
 * `npm run docs -w @tidings/core` rewrites them; a test fails when they drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderVocabularyTables } from '../src/normalize/vocabulary-tables.ts';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- vocabulary-tables:start -->';
const END = '<!-- vocabulary-tables:end -->';

/** The README with its generated section replaced by the current tables. */
export const withCurrentTables = (readme: string): string => {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, from + START.length)}\n${renderVocabularyTables()}\n${readme.slice(to)}`;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withCurrentTables(readFileSync(README, 'utf8')));
  console.log(`wrote vocabulary tables into ${README}`);
}
