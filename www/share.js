// @ts-check
// The shareable link of a run: `?lr=…&batch=…&l2=…&seed=…&dataset=…` (hyperparameters, seed and
// data set; never weights), and the instructor's link, the same link with more in it: a lecture
// section's controls preset by their test ids (`atten-badness=4&atten-lr=0.5`), controls hidden
// (`hide=speed,atten-steps`) and one section alone (`only=attenuation`, view.js). Pure: parsing here
// is only syntax (each value a plain decimal number or option name, each name once, nothing else);
// ranges are the core's to judge (applyLink in session-link.js), controls the page's (view.js).

/** Query parameter → hyperparameter field of the session. */
export const LINK_PARAMS = { lr: 'learning_rate', batch: 'batch_size', l2: 'l2', seed: 'seed' };
/** Hyperparameter field → query parameter (LINK_PARAMS inverted), for messages. */
export const LINK_NAMES = Object.fromEntries(Object.entries(LINK_PARAMS).map(([name, field]) => [field, name]));
/** Data sets a link may name. */
export const LINK_DATASETS = ['mnist', 'fashion'];
/** Parameters of how the page is shown, not of the run (presenter mode, present.js; one section, view.js): passed over. */
export const VIEW_PARAMS = ['present', 'step', 'only', 'embed'];
/** A lecture section's control, by its test id (always with a dash: `atten-badness`, `l2-size`). */
const CONTROL = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;
/** A control's value: a plain decimal number (NUMBER) or an option's name. */
const OPTION = /^[a-z0-9][a-z0-9._-]{0,31}$/i;
/** The names `hide=` lists: test ids of controls, comma-separated. */
const HIDE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** A plain decimal number: no hex, no "Infinity", no spaces. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Longest value quoted back in a message. */
const QUOTE_MAX = 24;

function quote(text) {
  return `“${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text}”`;
}

/**
 * Parse a query string strictly.
 * @param {string} search e.g. location.search
 * @returns {{present: boolean, values: {learning_rate?: number, batch_size?: number, l2?: number, seed?: number, dataset?: string, hide?: string[], controls?: Record<string, string>}, problems: string[]}}
 *   `present`: the link names at least one parameter; `problems`: one sentence per value
 *   that was not taken (the page then uses the default for it).
 */
export function parseLink(search) {
  const params = new URLSearchParams(search);
  /** @type {ReturnType<typeof parseLink>['values']} */
  const values = {};
  const problems = [];
  const seen = new Set();
  for (const [name, raw] of params) {
    if (VIEW_PARAMS.includes(name)) continue;
    if (seen.has(name)) {
      problems.push(`“${name}” appears more than once: the first value is used`);
      continue;
    }
    seen.add(name);
    if (name in LINK_PARAMS) {
      if (NUMBER.test(raw)) values[LINK_PARAMS[name]] = Number(raw);
      else problems.push(`${name}=${quote(raw)} is not a number`);
    } else if (name === 'dataset') {
      if (LINK_DATASETS.includes(raw)) values.dataset = raw;
      else problems.push(`dataset=${quote(raw)} is not one of ${LINK_DATASETS.join(', ')}`);
    } else if (name === 'hide') {
      const names = raw.split(',');
      const bad = names.filter((n) => !HIDE_NAME.test(n));
      if (bad.length) problems.push(`hide=${quote(raw)}: ${bad.map(quote).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not a control's name`);
      values.hide = names.filter((n) => HIDE_NAME.test(n));
    } else if (CONTROL.test(name) && name.length <= 40) {
      if (NUMBER.test(raw) || OPTION.test(raw)) (values.controls ??= {})[name] = raw;
      else problems.push(`${name}=${quote(raw)} is not a number or an option`);
    } else {
      problems.push(`the link's parameter ${quote(name)} is not one the lab knows (${[...Object.keys(LINK_PARAMS), 'dataset', 'hide', '<control>'].join(', ')})`);
    }
  }
  return { present: seen.size > 0, values, problems };
}

/**
 * The instructor's link to one section (the run link's parameters and more, in the same syntax):
 * the section alone, its controls' current values, and the controls it hides.
 * @param {string} pageUrl the page's address (its query and fragment are replaced)
 * @param {string} section the section's id (`only=`)
 * @param {{hyper?: {learning_rate: number, batch_size: number, l2: number, seed: number}, dataset?: string, controls?: Record<string, string>, hide?: string[]}} parts
 */
export function buildSectionLink(pageUrl, section, { hyper, dataset, controls = {}, hide = [] }) {
  const url = new URL(hyper && dataset ? buildLink(pageUrl, hyper, dataset) : pageUrl);
  if (!(hyper && dataset)) url.search = '';
  url.hash = '';
  const params = new URLSearchParams(url.search);
  for (const [name, value] of Object.entries(controls)) params.append(name, value);
  if (hide.length) params.append('hide', hide.join(','));
  params.append('only', section);
  url.search = params.toString();
  return url.href;
}

/**
 * The link that reproduces a run from step 0.
 * @param {string} pageUrl the page's address (its query and fragment are replaced)
 * @param {{learning_rate: number, batch_size: number, l2: number, seed: number}} hyper
 * @param {string} dataset
 */
export function buildLink(pageUrl, hyper, dataset) {
  const url = new URL(pageUrl);
  url.hash = '';
  const params = Object.entries(LINK_PARAMS).map(([name, field]) => [name, String(hyper[field])]);
  url.search = new URLSearchParams([...params, ['dataset', dataset]]).toString();
  return url.href;
}
