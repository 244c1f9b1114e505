/**
 * @module Renders every vocabulary as Markdown tables, so the package README shows exactly
 * the rows the code uses (a test keeps the README in step).
 */
import type { StatusMapping } from './status-mapping.ts';
import { VOCABULARIES } from './vocabularies.ts';

const meaning = (m: StatusMapping): string => {
  const overlay = m.overlay && m.overlay !== m.status ? ` + ${m.overlay}` : '';
  const reason = m.reason ? ` (${m.reason})` : '';
  const head =
    m.status === 'ignore'
      ? 'ignore'
      : m.overlay === m.status
        ? `(unchanged) ${m.status}${reason}`
        : `${m.status}${overlay}${reason}`;
  const extras = [
    m.pickup ? 'pickup' : '',
    m.voidShipment ? 'voids the shipment' : '',
    m.guard ? `only if ${m.guard.requires.replace('_', ' ')}, else ${m.guard.otherwise}` : '',
  ].filter(Boolean);
  return extras.length ? `${head}; ${extras.join('; ')}` : head;
};

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** One `###` section per platform, one table per field. */
export const renderVocabularyTables = (): string =>
  Object.values(VOCABULARIES)
    .map((v) => {
      const fields = Object.entries(v.fields).map(([name, table]) => {
        const aliases = table.aliases?.length
          ? ` (also ${table.aliases.map((a) => `\`${a}\``).join(', ')})`
          : '';
        const header = `**\`${name}\`**${aliases}, ${table.scope} level. Source: ${cell(table.source)}.`;
        const rows = Object.entries(table.rows).map(
          ([value, m]) =>
            `| \`${value === '' ? '(blank)' : value}\` | ${cell(meaning(m))} | ${cell(m.note ?? '')} |`,
        );
        const open = table.openFamily
          ? ['', `_Beyond these rows: ${table.openFamily.describe}._`]
          : [];
        const tenant = table.tenantConfigured
          ? ['', '_Further values come from the tenant’s own mapping; unknown values are errors._']
          : [];
        const body = rows.length
          ? ['| value | canonical | note |', '|---|---|---|', ...rows]
          : ['_No built-in rows: every value is mapped by the tenant._'];
        return [header, '', ...body, ...open, ...tenant].join('\n');
      });
      return [`### ${v.label} (\`${v.platform}\`)`, '', fields.join('\n\n')].join('\n');
    })
    .join('\n\n');
