// @ts-check
// Train's two live charts (the training loss; the test set's loss and accuracy) with what their
// x axis is (steps, epochs, examples seen; log scale), the accuracy zoom, and the kept runs:
// their legend, Keep this run, Hide/Show and Delete.

import { X_MODES } from '../../chart-axes.js';
import { KEPT_COLORS } from '../../chart-base.js';
import { createTestChart, createTrainChart } from '../../run-chart.js';
import { el, setValue } from '../../dom.js';
import { formatInt } from '../../format.js';
import { runLabel } from '../../runs.js';
import { deleteRun, keepFinishedRun, showRun } from '../../runs-session.js';

const X_NAMES = { steps: 'steps', epochs: 'epochs', examples: 'examples seen' };

/**
 * A run's colour in the legend.
 * @param {string} color
 * @param {boolean} [dashed]
 */
function swatch(color, dashed = false) {
  return el('span', { class: `run-swatch${dashed ? ' dashed' : ''}`, style: { borderColor: color }, 'aria-hidden': 'true' });
}

/**
 * Build the charts and the runs' legend and wire them to the session.
 * @param {import('../../session.js').Session} session
 */
export function mountCharts(session) {
  const s = session.state;

  // --- What their x axis is, the accuracy zoom ------------------------------------------------
  /** @type {{xMode: import('../../chart-axes.js').XMode, xLog: boolean, accZoom: boolean}} */
  const axes = { xMode: 'steps', xLog: false, accZoom: true };
  const xAxis = el('select', { id: 'x-axis', testid: 'x-axis' }, ...X_MODES.map((m) => el('option', { value: m }, X_NAMES[m])));
  const xLog = el('input', { id: 'x-log', testid: 'x-log', type: 'checkbox' });
  const accZoom = el('input', { id: 'acc-zoom', testid: 'acc-zoom', type: 'checkbox', checked: true });
  const onAxes = () => {
    axes.xMode = /** @type {import('../../chart-axes.js').XMode} */ (xAxis.value);
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

  // --- The kept runs ------------------------------------------------------------------------------
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

  const node = el(
    'div',
    { class: 'charts' },
    chartControls,
    el('figure', { class: 'card chart-card' }, el('h3', {}, 'Training loss'), trainBox, trainCaption),
    el('figure', { class: 'card chart-card' }, el('h3', {}, 'Test set: loss and accuracy'), testBox, testCaption),
    runsCard,
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

  /** A run with no step cannot be kept. */
  function renderKeep() {
    keepButton.disabled = s.generation === 0 || s.progress.step === 0;
  }

  /** The training-loss chart and its caption. */
  function renderTrain() {
    const t = s.train;
    charts.train?.update(chartView());
    trainEmpty.hidden = t.x.length > 0;
    setValue(
      trainCaption,
      `Thin line: cross-entropy of each minibatch before its update. Thick line: exponential moving average (β = 0.95). Faded lines: the moving averages of kept runs.${t.stride > 1 ? ` Long run: one point per ${t.stride} steps.` : ''}`,
    );
  }

  /** The test chart (redrawn when the evaluations change) and its caption. */
  function renderTest() {
    // Not on every step: renderTest follows the progress too.
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

  return { node, renderCharts, renderRuns, renderKeep, renderTrain, renderTest };
}
