// Small DOM helpers (no innerHTML anywhere: text from files or URLs never becomes markup)
// and number formatting shared by the sections.

/**
 * Create an element. `props`: `class`, `testid` (→ data-testid), `data` (→ dataset), `on`
 * ({event: handler}), `style` (object), any other key becomes an attribute (true → empty
 * attribute, null/false → omitted). Children: nodes or strings (text), null skipped.
 * @param {string} tag
 * @param {object} [props]
 * @param {...(Node|string|number|null)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'testid') node.dataset.testid = value;
    else if (key === 'data') Object.assign(node.dataset, value);
    else if (key === 'style') Object.assign(node.style, value);
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Set an element's text and its data-value (skipping the DOM write if nothing changed).
 * @param {HTMLElement} node
 * @param {string} text
 * @param {number|string} [value]
 */
export function setValue(node, text, value) {
  if (node.textContent !== text) node.textContent = text;
  if (value !== undefined) {
    const v = String(value);
    if (node.dataset.value !== v) node.dataset.value = v;
  }
}

/** Placeholder for a figure that does not exist yet. */
export const NONE = '–';

/**
 * Integer with thousands separators ("60,000").
 * @param {number} n
 */
export function formatInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : NONE;
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
