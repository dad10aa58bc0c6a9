// @ts-check
// A chart's data as CSV (RFC 4180 fields, "\n" line ends): comment lines first ("# …": what the
// chart shows and the settings of each run), then a header naming each series with its unit, then
// one row per x value. Numbers are written in full (JavaScript's shortest exact form); a series
// without a value at that x leaves its field empty. Pure: chart-export.js downloads it.

/**
 * One CSV field, quoted if it holds a comma, a quote or a line break.
 * @param {string} s
 */
export function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * @param {number|null|undefined} v
 */
function numberField(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

/**
 * A column name: the series and its unit, "test accuracy (%)".
 * @param {string} name
 * @param {string} [unit]
 */
export function columnName(name, unit) {
  return unit ? `${name} (${unit})` : name;
}

/**
 * The CSV text of a table given column by column (all columns as long as the first).
 * @param {{comments?: string[], columns: string[], data: ArrayLike<number|null|undefined>[]}} table
 */
export function buildCsv({ comments = [], columns, data }) {
  if (columns.length !== data.length) throw new Error(`${columns.length} column names for ${data.length} columns`);
  const lines = comments.map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}`);
  lines.push(columns.map(csvField).join(','));
  const rows = data.length ? data[0].length : 0;
  for (let i = 0; i < rows; i++) lines.push(data.map((col) => numberField(col[i])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * A file name from a chart's title: lower case, words joined by hyphens.
 * @param {string} title
 * @param {string} ext
 */
export function fileName(title, ext) {
  const base = title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `softmax-lab-${base || 'chart'}.${ext}`;
}
