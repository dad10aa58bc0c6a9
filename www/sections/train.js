// @ts-check
// Section "Train": Step / Play / Pause / Reset, export and import of weights, live
// hyperparameters with the formulas they appear in, the data-set picker, the link to the run,
// progress figures, where the session was last saved, and the two live charts with their x
// axis (steps, epochs, examples seen; log scale), the accuracy zoom and the kept runs' legend.

import { X_MODES } from '../chart-axes.js';
import { download } from '../chart-export.js';
import { createTestChart, createTrainChart, KEPT_COLORS } from '../charts.js';
import { runLabel } from '../runs.js';
import { deleteRun, keepFinishedRun, showRun } from '../runs-session.js';
import { PACES } from '../session-state.js';
import { el, setValue } from '../dom.js';
import { handOff } from '../focus.js';
import { formatEpochs, formatInt, formatLoss, formatPercent, formatRate, NONE } from '../format.js';
import { renderTex, tex } from '../math.js';
import { mountNumpyImport } from '../numpy-import.js';
import { mountOwnDataPanel } from '../own-data-panel.js';
import { exportNpz } from '../session-weights.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'train';
export const TITLE = 'Train';

const TEX = {
  model: [
    String.raw`\hat{\mathbf{y}} = \operatorname{softmax}(\mathbf{x}\mathbf{W} + \mathbf{b}),`,
    String.raw`\mathbf{W} \in \mathbb{R}^{784 \times 10},\ \mathbf{b} \in \mathbb{R}^{10},`,
    String.raw`\hat{y}_k = \frac{\exp z_k}{\sum_{k'=1}^{10} \exp z_{k'}}, \quad \mathbf{z} = \mathbf{x}\mathbf{W} + \mathbf{b}`,
  ],
  update: String.raw`\mathbf{W} \leftarrow \mathbf{W} - \varepsilon\, \nabla_{\mathbf{W}} f, \qquad \mathbf{b} \leftarrow \mathbf{b} - \varepsilon\, \nabla_{\mathbf{b}} f`,
  gradW: String.raw`\nabla_{\mathbf{W}} f = \tfrac{1}{n}\, \mathbf{X}^{\top} (\hat{\mathbf{Y}} - \mathbf{Y}) + 2\alpha \mathbf{W}`,
  gradB: String.raw`\nabla_{\mathbf{b}} f = \tfrac{1}{n} \textstyle\sum_{i=1}^{n} (\hat{\mathbf{y}}_i - \mathbf{y}_i)`,
  loss: String.raw`f = \underbrace{-\frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{10} y_{ik} \log \hat{y}_{ik}}_{f_{\mathrm{CE}}} \;+\; \alpha \lVert \mathbf{W} \rVert^2`,
};

/** The input-standardisation formula, then the data set's actual μ and σ. */
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

/** The link that replays the run from step 0 (updated as the settings change). */
function shareParts() {
  const link = el('a', { testid: 'share-link', class: 'share-link', href: '#' });
  const copy = el('button', { type: 'button', class: 'btn btn-small', testid: 'copy-link' }, 'Copy link');
  const note = el('p', { class: 'field-note', id: 'share-note', testid: 'share-note' }, SHARE_NOTE);
  return { link, copy, note };
}

function stat(testid, label) {
  const value = el('dd', { testid, class: 'stat-value', data: { value: '0' } }, NONE);
  const sub = el('dd', { class: 'stat-sub' });
  return { node: el('div', { class: 'stat' }, el('dt', {}, label), value, sub), value, sub };
}

/**
 * What a pace means: steps per second, and epochs per minute at the batch size in use.
 * @param {number|null} pace steps per second, or null for full speed
 * @param {number} batch
 * @param {number} trainSize
 */
export function paceText(pace, batch, trainSize) {
  if (pace === null) return 'as fast as this device trains';
  const perMinute = batch > 0 && trainSize > 0 ? (pace * batch * 60) / trainSize : NaN;
  const epochs = Number.isFinite(perMinute) ? ` · ${perMinute >= 10 ? perMinute.toFixed(0) : perMinute.toPrecision(2)} epochs/min at batch ${formatInt(batch)}` : '';
  return `${formatInt(pace)} step${pace === 1 ? '' : 's'}/s${epochs}`;
}

/**
 * Build the section and wire it to the session.
 * @param {HTMLElement} root the <section> element
 * @param {import('../session.js').Session} session
 */
export function mount(root, session) {
  const s = session.state;

  // --- Toolbar: training buttons and export -------------------------------------------------
  const buttons = {
    step: el('button', { type: 'button', testid: 'step', class: 'btn', title: 'One SGD update on the next minibatch' }, 'Step'),
    play: el('button', { type: 'button', testid: 'play', class: 'btn btn-primary', title: 'Train continuously in the background' }, '▶ Play'),
    pause: el('button', { type: 'button', testid: 'pause', class: 'btn', title: 'Stop training' }, '❚❚ Pause'),
    reset: el('button', { type: 'button', testid: 'reset', class: 'btn', title: 'New random weights and shuffling from the seed' }, '↺ Reset'),
    exportWeights: el('button', { type: 'button', testid: 'export-weights', class: 'btn btn-ghost', title: 'Download W, b, μ, σ and the test figures as JSON' }, 'Export weights'),
    exportNpz: el('button', { type: 'button', testid: 'export-npz', class: 'btn btn-ghost', title: 'Download W, b, μ, σ and the class names as a numpy .npz (np.load reads it)' }, '.npz'),
  };
  const importInput = el('input', { id: 'import-weights', testid: 'import-weights', type: 'file', multiple: true, accept: '.json,.npy,.npz,application/json', class: 'visually-hidden' });
  const importLabel = el('label', { for: 'import-weights', class: 'btn btn-ghost file-btn', title: 'Load a weights file written by Export weights (JSON), or numpy weights: an .npz, or W.npy and b.npy' }, 'Import weights…');
  const importResult = el('p', { testid: 'import-message', class: 'toolbar-note', role: 'status' });
  const saved = el('p', { testid: 'saved', class: 'saved-note', data: { value: '' } });
  const numpy = mountNumpyImport(session);
  importInput.addEventListener('change', () => {
    const files = [...(importInput.files || [])];
    importInput.value = '';
    if (files.length) numpy.choose(files);
  });
  const refusal = el('p', { class: 'toolbar-note', role: 'status' });
  // Weights files may also be dropped on the import and export buttons (a .npy, then its partner).
  const filesBox = el('div', { class: 'toolbar-buttons toolbar-files', testid: 'weights-drop' }, importInput, importLabel, buttons.exportWeights, buttons.exportNpz);
  filesBox.addEventListener('dragover', (e) => {
    if (!importInput.disabled && e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  filesBox.addEventListener('drop', (e) => {
    e.preventDefault();
    const files = [...(e.dataTransfer?.files || [])];
    if (files.length && !importInput.disabled) numpy.choose(files);
  });

  // --- Pace: how fast Play trains, and "Train N epochs" ----------------------------------------
  const speed = el(
    'select',
    { id: 'speed', testid: 'speed', 'aria-describedby': 'speed-readout', title: 'How fast Play trains (live)' },
    ...PACES.map((p) => el('option', { value: p === null ? 'full' : String(p) }, p === null ? 'Full speed' : p === 1 ? '1 step/s (slow motion)' : `${p} steps/s`)),
  );
  const speedReadout = el('span', { id: 'speed-readout', testid: 'speed-readout', class: 'speed-readout', role: 'status' });
  speed.addEventListener('change', () => session.setPace(speed.value === 'full' ? null : Number(speed.value)));
  const epochsN = el('input', { id: 'train-epochs-n', testid: 'train-epochs-n', type: 'number', value: '1', min: 1, max: 100, step: '1', inputmode: 'numeric', 'aria-label': 'Number of epochs' });
  buttons.trainEpochs = el('button', { type: 'button', testid: 'train-epochs', class: 'btn', title: 'Play until the epoch counter has grown by this many, then pause' }, 'Train');
  const epochsCount = () => {
    const n = Number(epochsN.value);
    return Number.isInteger(n) && n >= 1 && n <= 100 ? n : null;
  };
  epochsN.addEventListener('input', () => {
    epochsN.setAttribute('aria-invalid', String(epochsCount() === null));
    renderControls();
  });
  buttons.trainEpochs.addEventListener('click', () => {
    const n = epochsCount();
    if (n) session.play(n);
  });
  const pace = el(
    'div',
    { class: 'pace', role: 'group', 'aria-label': 'Pace of training' },
    el('label', { class: 'pace-field', for: 'speed' }, el('span', {}, 'Speed'), speed),
    speedReadout,
    el('span', { class: 'pace-field' }, buttons.trainEpochs, epochsN, el('label', { for: 'train-epochs-n' }, 'epochs')),
  );

  buttons.step.addEventListener('click', () => session.step());
  buttons.play.addEventListener('click', () => session.play());
  buttons.pause.addEventListener('click', () => session.pause());
  buttons.reset.addEventListener('click', () => session.reset());
  buttons.exportNpz.addEventListener('click', async () => {
    buttons.exportNpz.disabled = true;
    try {
      const { bytes, filename } = await exportNpz(session);
      download(new Blob([/** @type {BlobPart} */ (/** @type {unknown} */ (bytes))], { type: 'application/octet-stream' }), filename);
    } catch (e) {
      session.fail(`Export failed: ${e.message}`);
    } finally {
      session.invalidate('controls');
    }
  });
  buttons.exportWeights.addEventListener('click', async () => {
    buttons.exportWeights.disabled = true;
    try {
      const { json, filename } = await session.exportWeights();
      download(new Blob([json], { type: 'application/json' }), filename);
    } catch (e) {
      session.fail(`Export failed: ${e.message}`);
    } finally {
      session.invalidate('controls');
    }
  });

  // --- Figures ------------------------------------------------------------------------------------
  const stats = {
    step: stat('step-count', 'Step'),
    epoch: stat('epoch', 'Epochs'),
    seen: stat('examples-seen', 'Examples seen'),
    rate: stat('examples-per-sec', 'Examples / s'),
    trainLoss: stat('train-loss', 'Train loss'),
    testLoss: stat('test-loss', 'Test loss'),
    testAcc: stat('test-accuracy', 'Test accuracy'),
  };

  // --- Hyperparameters -------------------------------------------------------------------------
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

  const share = shareParts();
  const shareField = () =>
    el('div', { class: 'field share' }, el('div', { class: 'field-row' }, el('span', { class: 'field-label' }, 'Link to this run'), share.copy), share.link, share.note);
  share.copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(s.link);
      setValue(share.copy, 'Copied');
    } catch {
      setValue(share.copy, 'Select the link to copy it');
    }
    setTimeout(() => setValue(share.copy, 'Copy link'), 2000);
  });

  // --- Charts: what their x axis is, the accuracy zoom, the kept runs ---------------------------
  /** @type {{xMode: import('../chart-axes.js').XMode, xLog: boolean, accZoom: boolean}} */
  const axes = { xMode: 'steps', xLog: false, accZoom: true };
  const X_NAMES = { steps: 'steps', epochs: 'epochs', examples: 'examples seen' };
  const xAxis = el('select', { id: 'x-axis', testid: 'x-axis' }, ...X_MODES.map((m) => el('option', { value: m }, X_NAMES[m])));
  const xLog = el('input', { id: 'x-log', testid: 'x-log', type: 'checkbox' });
  const accZoom = el('input', { id: 'acc-zoom', testid: 'acc-zoom', type: 'checkbox', checked: true });
  const onAxes = () => {
    axes.xMode = /** @type {import('../chart-axes.js').XMode} */ (xAxis.value);
    axes.xLog = xLog.checked;
    axes.accZoom = accZoom.checked;
    renderCharts();
    renderTest();
  };
  for (const input of [xAxis, xLog, accZoom]) input.addEventListener('change', onAxes);
  const chartControls = el(
    'div',
    { class: 'chart-controls', role: 'group', 'aria-label': 'Chart axes' },
    el('label', { class: 'pace-field', for: 'x-axis' }, el('span', {}, 'x axis'), xAxis),
    el('label', { class: 'check', for: 'x-log' }, xLog, ' log scale'),
    el('label', { class: 'check', for: 'acc-zoom', title: 'Zoom the accuracy axis to the data (e.g. 80–100 %); off: 0–100 %' }, accZoom, ' zoom accuracy to the data'),
  );

  const keepButton = el('button', { type: 'button', testid: 'keep-run', class: 'btn btn-small', title: 'Keep this run’s curves on the charts to compare with the next runs' }, 'Keep this run');
  keepButton.addEventListener('click', async () => {
    if (await keepFinishedRun(session, 'button')) session.checkpoints.save();
  });
  const runsList = el('ul', { class: 'runs-list' });
  const runsNote = el('p', { testid: 'runs-note', class: 'field-note runs-note', role: 'status' });
  const runsCard = el(
    'div',
    { class: 'card runs', testid: 'runs', role: 'group', 'aria-label': 'Runs on the charts' },
    el('div', { class: 'runs-head' }, el('h3', {}, 'Runs on the charts'), keepButton),
    runsList,
    runsNote,
    el('p', { class: 'field-note' }, 'Reset, a data-set switch or “Keep this run” keeps the curves of a run (faded; up to five, the oldest goes first). They are saved with the session in this browser.'),
  );

  // --- Charts --------------------------------------------------------------------------------------
  const trainEmpty = el('p', { class: 'chart-empty' }, 'No steps yet: press Step or ▶ Play.');
  const trainBox = el('div', { class: 'chart-box', testid: 'train-chart' }, trainEmpty);
  const testBox = el('div', { class: 'chart-box', testid: 'test-chart' });
  const trainCaption = el('figcaption', {});
  const testCaption = el('figcaption', {});

  root.append(
    el(
      'header',
      { class: 'section-head' },
      el('h2', {}, 'Train softmax regression'),
      el(
        'div',
        { class: 'head-row' },
        el(
          'p',
          { class: 'lede' },
          'Minibatch stochastic gradient descent on the 60,000 training images, in a background thread of your browser. ',
          'Change the learning rate, batch size or α while it runs: the next step uses them.',
        ),
        el('div', { class: 'formula-row model-formula', role: 'group', 'aria-label': 'The model' }, ...TEX.model.map((m) => tex(m, { display: true }))),
      ),
    ),
    el(
      'div',
      { class: 'toolbar', role: 'group', 'aria-label': 'Training controls' },
      el('div', { class: 'toolbar-buttons' }, buttons.step, buttons.play, buttons.pause, buttons.reset),
      filesBox,
    ),
    pace,
    refusal,
    importResult,
    numpy.node,
    saved,
    el('dl', { class: 'stats' }, ...Object.values(stats).map((x) => x.node)),
    el(
      'div',
      { class: 'train-grid' },
      el(
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
        shareField(),
      ),
      el(
        'div',
        { class: 'charts' },
        chartControls,
        el('figure', { class: 'card chart-card' }, el('h3', {}, 'Training loss'), trainBox, trainCaption),
        el('figure', { class: 'card chart-card' }, el('h3', {}, 'Test set: loss and accuracy'), testBox, testCaption),
        runsCard,
      ),
    ),
  );

  // Charts are created after the first layout (their width comes from it), not during mount.
  const charts = { train: null, test: null };
  requestAnimationFrame(() => {
    charts.train = createTrainChart(trainBox);
    charts.test = createTestChart(testBox);
    renderTrain();
    renderTest();
    renderRuns();
  });

  /** What the charts show now (charts.js RunsView). */
  function chartView() {
    return {
      ...axes,
      current: { label: s.hyper ? runLabel({ hyper: s.hyper, startHyper: s.runStart, dataset: s.dataset }) : '', trainSize: s.trainSize || 60_000, train: s.train, test: s.test },
      kept: s.runs,
    };
  }

  /** What the test chart last drew (renderTest skips the redraw when the evaluations are the same). */
  let testKey = '';

  function renderCharts() {
    const view = chartView();
    charts.train?.update(view);
    charts.test?.update(view);
  }

  function swatch(color, dashed = false) {
    return el('span', { class: `run-swatch${dashed ? ' dashed' : ''}`, style: { borderColor: color }, 'aria-hidden': 'true' });
  }

  function renderRuns() {
    const items = [
      el(
        'li',
        { class: 'run current', testid: 'run-current' },
        swatch('#1d4ed8'),
        el('span', { class: 'run-label' }, el('strong', {}, 'This run'), ` ${s.hyper ? runLabel({ hyper: s.hyper, startHyper: s.runStart, dataset: s.dataset }) : ''}`),
      ),
    ];
    s.runs.forEach((r, i) => {
      const n = i + 1;
      const label = runLabel(r);
      const toggle = el('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `run-${n}-toggle`, 'aria-pressed': String(r.visible), 'aria-label': `${r.visible ? 'Hide' : 'Show'} run ${n} (${label})` }, r.visible ? 'Hide' : 'Show');
      const del = el('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `run-${n}-delete`, 'aria-label': `Delete run ${n} (${label})` }, 'Delete');
      toggle.addEventListener('click', () => showRun(session, r.id, !r.visible));
      del.addEventListener('click', () => deleteRun(session, r.id));
      items.push(
        el(
          'li',
          { class: `run${r.visible ? '' : ' hidden-run'}`, testid: `run-${n}`, data: { visible: String(r.visible), steps: String(r.steps) } },
          swatch(KEPT_COLORS[r.slot]),
          el('span', { class: 'run-label' }, el('strong', {}, `Run ${n}`), ` ${label} · ${formatInt(r.steps)} steps`),
          el('span', { class: 'run-buttons' }, toggle, del),
        ),
      );
    });
    runsList.replaceChildren(...items);
    runsCard.dataset.count = String(s.runs.length);
    setValue(runsNote, s.runsNote);
    renderKeep();
  }

  function renderKeep() {
    keepButton.disabled = s.generation === 0 || s.progress.step === 0;
  }

  // --- Rendering (at most once per animation frame) --------------------------------------------
  function renderControls() {
    const loaded = !s.busy && s.generation > 0;
    const canTrain = session.canTrain();
    buttons.step.disabled = !canTrain || s.playing;
    buttons.play.disabled = !canTrain || s.playing;
    buttons.pause.disabled = !s.playing;
    buttons.trainEpochs.disabled = !canTrain || s.playing || epochsCount() === null;
    const paceValue = s.pace === null ? 'full' : String(s.pace);
    if (speed.value !== paceValue) speed.value = paceValue;
    setValue(speedReadout, paceText(s.pace, s.hyper ? s.hyper.batch_size : 0, s.trainSize), s.pace === null ? 'full' : s.pace);
    buttons.reset.disabled = !loaded || Boolean(s.errors.seed);
    buttons.exportWeights.disabled = !loaded;
    buttons.exportNpz.disabled = !loaded;
    handOff(buttons.play, buttons.pause);
    handOff(buttons.trainEpochs, buttons.pause);
    handOff(buttons.pause, buttons.play, buttons.step);
    handOff(buttons.step);
    importInput.disabled = !loaded;
    importLabel.classList.toggle('disabled', !loaded);
    select.disabled = s.busy;
    let why = '';
    const invalid = Boolean(s.errors.learning_rate || s.errors.batch_size || s.errors.l2);
    if (s.playing && invalid) why = 'Training continues with the last valid value of the marked field.';
    else if (loaded && invalid) why = 'Fix the marked hyperparameter to train: Step and Play are off until then.';
    else if (loaded && s.errors.seed) why = 'Fix the seed to reset.';
    setValue(refusal, why);
    for (const name of ['mnist', 'fashion']) {
      const option = /** @type {HTMLOptionElement} */ (select.querySelector(`option[value="${name}"]`));
      const { available, reason } = session.datasetAvailability(name);
      option.disabled = !available && reason !== 'loading';
      option.textContent = `${name === 'mnist' ? 'MNIST digits' : 'Fashion-MNIST'}${option.disabled ? ' (unavailable)' : ''}`;
      option.title = option.disabled ? reason : '';
    }
    if (!s.busy && select.value !== s.dataset && !ownPanel.isOpen()) select.value = s.dataset;
    ownPanel.render();
    renderDatasetNote();
  }

  function renderFiles() {
    const r = s.importResult;
    setValue(importResult, r ? r.text : '');
    importResult.classList.toggle('ok', Boolean(r && r.ok));
    const v = s.saved;
    if (!v) setValue(saved, '', '');
    else if (v.error) setValue(saved, `Not saved in this browser: ${v.error}`, '');
    else setValue(saved, `Saved in this browser at step ${formatInt(v.step)} (${new Date(v.savedAt).toLocaleTimeString('en-GB')}); a reload continues from there.`, v.step);
    setValue(share.note, s.dataset === 'files' ? SHARE_NOTE_FILES : SHARE_NOTE);
    if (s.link && share.link.getAttribute('href') !== s.link) {
      share.link.href = s.link;
      setValue(share.link, s.link.slice(s.link.indexOf('?')));
    }
  }

  function renderDatasetNote() {
    const parts = [];
    const fashion = session.datasetAvailability('fashion');
    if (s.manifest && !fashion.available) parts.push(`Fashion-MNIST is unavailable: ${fashion.reason}. `);
    parts.push('Inputs are standardised with the training set’s mean and standard deviation.');
    setValue(datasetNote, parts.join(''));
  }

  function renderHyper() {
    for (const [name, f] of Object.entries(fields)) {
      const error = s.errors[name];
      f.input.setAttribute('aria-invalid', error ? 'true' : 'false');
      f.node.classList.toggle('invalid', Boolean(error));
      setValue(f.error, error ? `${error[0].toUpperCase()}${error.slice(1)}.` : '');
    }
  }

  function renderProgress() {
    const p = s.progress;
    setValue(stats.step.value, formatInt(p.step), p.step);
    // Round down: never claim a pass that has not finished (2.998 shows as 2.99).
    setValue(stats.epoch.value, formatEpochs(p.epochs_fraction), p.epochs_fraction);
    setValue(stats.epoch.sub, `${formatInt(p.epoch)} full pass${p.epoch === 1 ? '' : 'es'}`);
    setValue(stats.seen.value, formatInt(p.examples_seen), p.examples_seen);
    setValue(stats.seen.sub, s.trainSize ? `${formatInt(s.trainSize)} per epoch` : '');
    setValue(stats.rate.value, formatRate(s.rate), Math.round(s.rate));
    setValue(stats.rate.sub, s.rate > 0 ? (s.playing ? 'while playing' : 'last run') : 'while playing');
    renderKeep();
  }

  function renderTrain() {
    const t = s.train;
    const smooth = t.smoothed;
    setValue(stats.trainLoss.value, formatLoss(smooth), Number.isFinite(smooth) ? smooth : '');
    setValue(stats.trainLoss.sub, Number.isFinite(t.last) ? `smoothed · last batch ${formatLoss(t.last)}` : 'no step yet');
    stats.trainLoss.node.title = 'Exponential moving average (β = 0.95) of the minibatch cross-entropies';
    charts.train?.update(chartView());
    trainEmpty.hidden = t.x.length > 0;
    setValue(
      trainCaption,
      `Thin line: cross-entropy of each minibatch before its update. Thick line: exponential moving average (β = 0.95). Faded lines: the moving averages of kept runs.${t.stride > 1 ? ` Long run: one point per ${t.stride} steps.` : ''}`,
    );
  }

  function renderTest() {
    const e = s.evaluation;
    const stale = e && e.step !== s.progress.step;
    const lossOk = e && Number.isFinite(e.loss);
    setValue(stats.testLoss.value, e ? (lossOk ? formatLoss(e.loss) : 'not finite') : NONE, lossOk ? e.loss : '');
    setValue(stats.testAcc.value, e ? formatPercent(e.accuracy) : NONE, e && Number.isFinite(e.accuracy) ? e.accuracy : '');
    const at = e ? `${formatInt(e.count)} images · step ${formatInt(e.step)}` : 'not evaluated yet';
    setValue(stats.testLoss.sub, at);
    setValue(stats.testAcc.sub, at);
    stats.testLoss.node.classList.toggle('stale', Boolean(stale));
    stats.testAcc.node.classList.toggle('stale', Boolean(stale));
    // Redrawn when the evaluations change (not on every step: renderTest follows the progress too).
    const n = s.test.x.length;
    const key = `${s.generation}:${n}:${s.test.x[n - 1]}:${s.test.loss[n - 1]}`;
    if (charts.test && key !== testKey) {
      testKey = key;
      charts.test.update(chartView());
    }
    setValue(
      testCaption,
      `Cross-entropy (without α‖W‖²) and accuracy on all ${s.testSize ? formatInt(s.testSize) : '10,000'} test images: at Reset, at multiples of 100 steps while playing (at most about three times a second, at least every 3 s), and after stepping or pausing. Kept runs: faded, loss dashed.${axes.accZoom ? ' Accuracy zoomed to the data: earlier, lower points run off the bottom.' : ''}`,
    );
  }

  session.on('frame', (changes) => {
    if (changes.has('controls') || changes.has('status') || changes.has('dataset') || changes.has('load')) renderControls();
    if (changes.has('import') || changes.has('saved') || changes.has('hyper') || changes.has('dataset')) renderFiles();
    if (changes.has('own-data')) ownPanel.render();
    if (changes.has('hyper')) renderHyper();
    if (changes.has('progress')) renderProgress();
    if (changes.has('train')) renderTrain();
    if (changes.has('test') || changes.has('progress')) renderTest();
    if (changes.has('runs') || changes.has('hyper')) renderRuns();
    if (changes.has('runs')) renderCharts();
  });

  session.on('hyper', (detail) => {
    // Fill the form from the state only when the session says so (defaults): never overwrite typing.
    if (!detail.fill) return;
    for (const [name, f] of Object.entries(fields)) f.input.value = String(s.input[name]);
  });

  session.on('dataset', () => {
    if (s.transform) transformTex(s.transform).forEach((t, i) => renderTex(transformMath[i], t, true));
  });

  renderControls();
  renderProgress();
  renderTrain();
  renderTest();
  renderRuns();
}
