// @ts-check
// Numbers and messages as the page shows them. Pure (no DOM): every formatter returns NONE for
// a value that does not exist (yet).

/** Placeholder for a figure that does not exist yet. */
export const NONE = '–';

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** en-US number formats by their options, made once each. */
const FORMATS = new Map();

/**
 * `x.toLocaleString('en-US', options)`, the same text, with the format made once:
 * `toLocaleString` with options builds a new Intl.NumberFormat at every call (28 µs against
 * 0.9 µs a number in Node 20), and the counters, legends and tick labels format hundreds of
 * numbers a second while the model trains.
 * @param {number} x
 * @param {Intl.NumberFormatOptions} options
 */
export function enUS(x, options) {
  const key = JSON.stringify(options);
  let f = FORMATS.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', options);
    FORMATS.set(key, f);
  }
  return f.format(x);
}

/**
 * A number for display: `digits` significant digits, exponent form when very large or small.
 * @param {number} v
 * @param {number} [digits]
 */
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${m} × 10${[...String(Number(e))].map((c) => SUPERSCRIPT[c]).join('')}`;
  }
  return enUS(Number(v.toPrecision(digits)), { maximumFractionDigits: 12 });
}

/**
 * Integer with thousands separators ("60,000").
 * @param {number} n
 */
export function formatInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : NONE;
}

/**
 * Epochs, fractional, rounded (not truncated) to `digits` decimals: 8.3583 → "8.36", 1,234.5 → "1,234.50".
 * @param {number} e
 * @param {number} [digits]
 */
export function formatEpochs(e, digits = 2) {
  if (!Number.isFinite(e)) return NONE;
  const f = 10 ** digits;
  return enUS(Math.round(e * f) / f, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A duration in seconds for people: "0.4 s", "12.5 s", "50 s", "1 min 40 s", "2 h 5 min".
 * @param {number} seconds
 */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return NONE;
  if (seconds < 10) return `${Number(seconds.toFixed(1)).toLocaleString('en-US')} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * A loss in nats with 3 decimals (or 3 significant digits when large).
 * @param {number} x
 */
export function formatLoss(x) {
  if (!Number.isFinite(x)) return NONE;
  return Math.abs(x) >= 100 ? x.toPrecision(3) : x.toFixed(3);
}

/**
 * A fraction as a percentage with `digits` decimals ("92.31 %").
 * @param {number} f
 * @param {number} [digits]
 */
export function formatPercent(f, digits = 2) {
  return Number.isFinite(f) ? `${(f * 100).toFixed(digits)} %` : NONE;
}

/**
 * A rate rounded to 3 significant digits with separators ("41,200").
 * @param {number} r
 */
export function formatRate(r) {
  if (!Number.isFinite(r) || r <= 0) return NONE;
  const digits = Math.max(0, Math.floor(Math.log10(r)) - 2);
  const rounded = Math.round(r / 10 ** digits) * 10 ** digits;
  return rounded.toLocaleString('en-US');
}

/**
 * Bytes as megabytes with one decimal ("9.7 MB").
 * @param {number} b
 */
export function formatMB(b) {
  return `${(b / 1e6).toFixed(1)} MB`;
}

/**
 * Capitalise the first letter of a message.
 * @param {string} text
 */
export function sentence(text) {
  return text ? `${text[0].toUpperCase()}${text.slice(1)}` : text;
}

/**
 * The message of an error for a status line, capitalised.
 * @param {Error|string} e
 */
export function errorText(e) {
  return sentence(typeof e === 'string' ? e : e.message || String(e));
}
