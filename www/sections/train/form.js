// @ts-check
// Train's form "Data & hyperparameters": the data-set picker (MNIST, Fashion-MNIST, your own
// files) with the input transform, ε, n, α and the seed with the formulas they appear in and
// the core's refusal of each, and the link that replays the run.

import { el, setValue } from '../../dom.js';
import { renderTex, tex } from '../../math.js';
import { mountOwnDataPanel } from '../../own-data-panel.js';

const TEX = {
  update: String.raw`\mathbf{W} \leftarrow \mathbf{W} - \varepsilon\, \nabla_{\mathbf{W}} f, \qquad \mathbf{b} \leftarrow \mathbf{b} - \varepsilon\, \nabla_{\mathbf{b}} f`,
  gradW: String.raw`\nabla_{\mathbf{W}} f = \tfrac{1}{n}\, \mathbf{X}^{\top} (\hat{\mathbf{Y}} - \mathbf{Y}) + 2\alpha \mathbf{W}`,
  gradB: String.raw`\nabla_{\mathbf{b}} f = \tfrac{1}{n} \textstyle\sum_{i=1}^{n} (\hat{\mathbf{y}}_i - \mathbf{y}_i)`,
  loss: String.raw`f = \underbrace{-\frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{10} y_{ik} \log \hat{y}_{ik}}_{f_{\mathrm{CE}}} \;+\; \alpha \lVert \mathbf{W} \rVert^2`,
};

/**
 * The input-standardisation formula, then the data set's actual μ and σ.
 * @param {{mean: number, std: number}} t
 */
function transformTex(t) {
  return [String.raw`x_j = \frac{\mathrm{pixel}_j / 255 - \mu}{\sigma},`, String.raw`\mu = ${t.mean.toFixed(4)},\ \sigma = ${t.std.toFixed(4)}`];
}

/**
 * A hyperparameter field: label, input, the core's refusal, formulas and notes.
 * @param {{id: string, testid: string, label: string, hint?: string, math: string[], note: string[]}} spec
 */
function field({ id, testid, label, hint, math, note }) {
  const input = el('input', { id, testid, type: 'number', step: 'any', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': `${id}-error ${id}-note` });
  const error = el('p', { id: `${id}-error`, class: 'field-error', role: 'alert', 'aria-live': 'polite' });
  const node = el(
    'div',
    { class: 'field' },
    el('div', { class: 'field-row' }, el('label', { for: id }, label, hint ? el('span', { class: 'field-hint' }, hint) : null), input),
    error,
    el('div', { class: 'field-math' }, ...math.map((m) => tex(m, { display: true }))),
    el('p', { id: `${id}-note`, class: 'field-note' }, ...note),
  );
  return { node, input, error };
}

const SHARE_NOTE = 'Holds ε, n, α, the seed and the data set — not the weights. Opening it starts the same run from step 0, and the same steps give the same numbers (if the settings stay as they are).';
const SHARE_NOTE_FILES = 'A link cannot carry your files (they never leave this browser): it holds ε, n, α and the seed, and opens them on MNIST. Send the files along for the same run.';

/**
 * The link that replays the run from step 0 (updated as the settings change), with Copy.
 * @param {import('../../session-state.js').SessionState} s
 */
function shareField(s) {
  const link = el('a', { testid: 'share-link', class: 'share-link', href: '#' });
  const copy = el('button', { type: 'button', class: 'btn btn-small', testid: 'copy-link' }, 'Copy link');
  const note = el('p', { class: 'field-note', id: 'share-note', testid: 'share-note' }, SHARE_NOTE);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(s.link);
      setValue(copy, 'Copied');
    } catch {
      setValue(copy, 'Select the link to copy it');
    }
    setTimeout(() => setValue(copy, 'Copy link'), 2000);
  });
  const node = el('div', { class: 'field share' }, el('div', { class: 'field-row' }, el('span', { class: 'field-label' }, 'Link to this run'), copy), link, note);
  return { node, link, note };
}

/**
 * Build the form and wire it to the session.
 * @param {import('../../session.js').Session} session
 */
export function mountForm(session) {
  const s = session.state;

  const select = el(
    'select',
    { id: 'dataset', testid: 'dataset', 'aria-describedby': 'dataset-note' },
    el('option', { value: 'mnist' }, 'MNIST digits'),
    el('option', { value: 'fashion' }, 'Fashion-MNIST'),
    el('option', { value: 'files' }, 'Your files…'),
  );
  const datasetNote = el('p', { id: 'dataset-note', class: 'field-note' });
  const transformMath = [el('div', { class: 'math math-display' }), el('div', { class: 'math math-display' })];
  const ownPanel = mountOwnDataPanel(session, () => {
    select.value = s.dataset;
  });
  select.addEventListener('change', () => {
    if (select.value === 'files') ownPanel.open();
    else {
      ownPanel.close();
      session.loadDataset(select.value);
    }
  });

  const fields = {
    learning_rate: field({
      id: 'lr',
      testid: 'lr',
      label: 'Learning rate ',
      hint: 'ε',
      math: [TEX.update],
      note: ['Changes apply at the next step, without a reset.'],
    }),
    batch_size: field({
      id: 'batch-size',
      testid: 'batch-size',
      label: 'Batch size ',
      hint: 'n',
      math: [TEX.gradW, TEX.gradB],
      note: ['Each step uses the next n training images (X is n × 784, Y one-hot n × 10); the order is reshuffled every epoch.'],
    }),
    l2: field({
      id: 'l2',
      testid: 'l2',
      label: 'L2 strength ',
      hint: 'α',
      math: [TEX.loss],
      note: ['The bias b is not penalised. The loss figures and curves show f_CE, the cross-entropy alone (without α‖W‖²).'],
    }),
    seed: field({
      id: 'seed',
      testid: 'seed',
      label: 'Seed',
      math: [],
      note: ['Used by Reset (and when switching data set): initial W ~ 𝒩(0, 0.01²), b = 0, and the shuffling order. Same seed and settings, same run.'],
    }),
  };
  fields.seed.input.step = '1';
  fields.seed.input.inputMode = 'numeric';
  for (const [name, f] of Object.entries(fields)) {
    const read = () => session.updateHyper({ [name]: f.input.value.trim() === '' ? NaN : Number(f.input.value) });
    f.input.addEventListener('input', read);
    f.input.addEventListener('change', read);
  }

  const share = shareField(s);

  const node = el(
    'form',
    { class: 'card hyper', 'aria-label': 'Data and hyperparameters', on: { submit: (e) => e.preventDefault() } },
    el('h3', {}, 'Data & hyperparameters'),
    el(
      'div',
      { class: 'field' },
      el('div', { class: 'field-row' }, el('label', { for: 'dataset' }, 'Data set'), select),
      ownPanel.node,
      el('div', { class: 'field-math formula-row' }, ...transformMath),
      datasetNote,
    ),
    fields.learning_rate.node,
    fields.batch_size.node,
    fields.l2.node,
    fields.seed.node,
    share.node,
  );

  /** The data-set picker: which data sets can be picked, the one in use, your files' panel. */
  function renderControls() {
    select.disabled = s.busy;
    for (const name of ['mnist', 'fashion']) {
      const option = /** @type {HTMLOptionElement} */ (select.querySelector(`option[value="${name}"]`));
      const { available, reason } = session.datasetAvailability(name);
      option.disabled = !available && reason !== 'loading';
      option.textContent = `${name === 'mnist' ? 'MNIST digits' : 'Fashion-MNIST'}${option.disabled ? ' (unavailable)' : ''}`;
      option.title = option.disabled ? reason : '';
    }
    if (!s.busy && select.value !== s.dataset && !ownPanel.isOpen()) select.value = s.dataset;
    ownPanel.render();
    const parts = [];
    const fashion = session.datasetAvailability('fashion');
    if (s.manifest && !fashion.available) parts.push(`Fashion-MNIST is unavailable: ${fashion.reason}. `);
    parts.push('Inputs are standardised with the training set’s mean and standard deviation.');
    setValue(datasetNote, parts.join(''));
  }

  /** The link and what it carries. */
  function renderLink() {
    setValue(share.note, s.dataset === 'files' ? SHARE_NOTE_FILES : SHARE_NOTE);
    if (s.link && share.link.getAttribute('href') !== s.link) {
      share.link.href = s.link;
      setValue(share.link, s.link.slice(s.link.indexOf('?')));
    }
  }

  /** Each field's refusal by the core. */
  function renderHyper() {
    for (const [name, f] of Object.entries(fields)) {
      const error = s.errors[name];
      f.input.setAttribute('aria-invalid', error ? 'true' : 'false');
      f.node.classList.toggle('invalid', Boolean(error));
      setValue(f.error, error ? `${error[0].toUpperCase()}${error.slice(1)}.` : '');
    }
  }

  session.on('hyper', (detail) => {
    // Fill the form from the state only when the session says so (defaults): never overwrite typing.
    if (!detail.fill) return;
    for (const [name, f] of Object.entries(fields)) f.input.value = String(s.input[name]);
  });

  session.on('dataset', () => {
    if (s.transform) transformTex(s.transform).forEach((t, i) => renderTex(transformMath[i], t, true));
  });

  return { node, renderControls, renderLink, renderHyper, renderOwnData: () => ownPanel.render() };
}
