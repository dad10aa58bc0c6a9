// @ts-check
// Train's controls: Step / Play / Pause / Reset, the pace of Play and "Train N epochs", export
// and import of weights (JSON, numpy; the files may also be dropped on the buttons), why
// training is refused, what the import did, and where the session was last saved.

import { download } from '../../chart-export.js';
import { el, setValue } from '../../dom.js';
import { handOff } from '../../focus.js';
import { formatInt } from '../../format.js';
import { mountNumpyImport } from '../../numpy-import.js';
import { PACES } from '../../session-state.js';
import { exportNpz } from '../../session-weights.js';

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
 * A download button's click: disabled while the file is made, a refusal said by the session.
 * @param {import('../../session.js').Session} session
 * @param {HTMLButtonElement} button
 * @param {() => Promise<{blob: Blob, filename: string}>} make
 */
function downloads(session, button, make) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { blob, filename } = await make();
      download(blob, filename);
    } catch (e) {
      session.fail(`Export failed: ${e.message}`);
    } finally {
      session.invalidate('controls');
    }
  });
}

/**
 * Build the controls and wire them to the session.
 * @param {import('../../session.js').Session} session
 * @returns {{nodes: HTMLElement[], renderControls: () => void, renderFiles: () => void}}
 *   nodes in the order of the page (toolbar, pace, notes, the numpy chooser)
 */
export function mountControls(session) {
  const s = session.state;

  // --- Toolbar: training buttons and export -------------------------------------------------
  const buttons = {
    step: el('button', { type: 'button', testid: 'step', class: 'btn', title: 'One SGD update on the next minibatch' }, 'Step'),
    play: el('button', { type: 'button', testid: 'play', class: 'btn btn-primary', title: 'Train continuously in the background' }, '▶ Play'),
    pause: el('button', { type: 'button', testid: 'pause', class: 'btn', title: 'Stop training' }, '❚❚ Pause'),
    reset: el('button', { type: 'button', testid: 'reset', class: 'btn', title: 'New random weights and shuffling from the seed' }, '↺ Reset'),
    exportWeights: el('button', { type: 'button', testid: 'export-weights', class: 'btn btn-ghost', title: 'Download W, b, μ, σ and the test figures as JSON' }, 'Export weights'),
    exportNpz: el('button', { type: 'button', testid: 'export-npz', class: 'btn btn-ghost', title: 'Download W, b, μ, σ and the class names as a numpy .npz (np.load reads it)' }, '.npz'),
    trainEpochs: el('button', { type: 'button', testid: 'train-epochs', class: 'btn', title: 'Play until the epoch counter has grown by this many, then pause' }, 'Train'),
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
  downloads(session, buttons.exportNpz, async () => {
    const { bytes, filename } = await exportNpz(session);
    return { blob: new Blob([/** @type {BlobPart} */ (/** @type {unknown} */ (bytes))], { type: 'application/octet-stream' }), filename };
  });
  downloads(session, buttons.exportWeights, async () => {
    const { json, filename } = await session.exportWeights();
    return { blob: new Blob([json], { type: 'application/json' }), filename };
  });

  const toolbar = el(
    'div',
    { class: 'toolbar', role: 'group', 'aria-label': 'Training controls' },
    el('div', { class: 'toolbar-buttons' }, buttons.step, buttons.play, buttons.pause, buttons.reset),
    filesBox,
  );

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
    let why = '';
    const invalid = Boolean(s.errors.learning_rate || s.errors.batch_size || s.errors.l2);
    if (s.playing && invalid) why = 'Training continues with the last valid value of the marked field.';
    else if (loaded && invalid) why = 'Fix the marked hyperparameter to train: Step and Play are off until then.';
    else if (loaded && s.errors.seed) why = 'Fix the seed to reset.';
    setValue(refusal, why);
  }

  function renderFiles() {
    const r = s.importResult;
    setValue(importResult, r ? r.text : '');
    importResult.classList.toggle('ok', Boolean(r && r.ok));
    const v = s.saved;
    if (!v) setValue(saved, '', '');
    else if (v.error) setValue(saved, `Not saved in this browser: ${v.error}`, '');
    else setValue(saved, `Saved in this browser at step ${formatInt(v.step)} (${new Date(v.savedAt).toLocaleTimeString('en-GB')}); a reload continues from there.`, v.step);
  }

  return { nodes: [toolbar, pace, refusal, importResult, numpy.node, saved], renderControls, renderFiles };
}
