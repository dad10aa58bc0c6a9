// @ts-check
// Small DOM helpers (no innerHTML anywhere: text from files or URLs never becomes markup).
// Number formatting is in format.js.

/**
 * Create an element. `props`: `class`, `testid` (→ data-testid), `data` (→ dataset), `on`
 * ({event: handler}), `style` (object), any other key becomes an attribute (true → empty
 * attribute, null/false → omitted). Children: nodes or strings (text), null skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {object} [props]
 * @param {...(Node|string|number|null|undefined|false|(Node|string|number|null)[])} children
 * @returns {HTMLElementTagNameMap[K]}
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

/**
 * @param {HTMLElement} node
 * @param {any[]} children
 */
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
