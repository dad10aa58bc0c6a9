// @ts-check
// The chooser of numpy weights (Train section, "Import weights…" with `.npy`/`.npz`): a homework's
// W and b do not say which input they expect, so the core scores them on the test set under each
// transform (pixel/255, the training set's μ and σ, the file's own, a custom μ, σ), the panel
// states the accuracies, picks the best and says so, and imports under the one chosen. Two `.npy`
// files come together, or one after the other (the first is kept until the second arrives).

import { el, setValue } from './dom.js';
import { formatPercent } from './format.js';
import { importNumpy, importWeights, isNumpy, readNumpy, scoreNumpy } from './session-weights.js';

/**
 * Build the panel (hidden until numpy files are chosen) and return it with the handler of the
 * import input's files.
 * @param {import('./session.js').Session} session
 * @returns {{node: HTMLElement, choose: (files: File[]) => Promise<void>}}
 */
export function mountNumpyImport(session) {
  const s = session.state;
  /** @type {{files: import('./protocol.js').NumpyFile[], scores: import('./protocol.js').NumpyScores, chosen: number}|null} */
  let current = null;
  /** A single `.npy` waiting for its partner. */
  let pending = /** @type {File|null} */ (null);

  const title = el('h3', { id: 'numpy-import-title' }, 'numpy weights: which input do they expect?');
  const read = el('p', { class: 'field-note', testid: 'numpy-read' });
  const list = el('div', { class: 'numpy-transforms', role: 'radiogroup', 'aria-labelledby': 'numpy-import-title' });
  const best = el('p', { testid: 'numpy-best', class: 'numpy-best', role: 'status' });
  const mean = el('input', { id: 'numpy-custom-mean', testid: 'numpy-custom-mean', type: 'number', step: 'any', inputmode: 'decimal', value: '0.5', autocomplete: 'off' });
  const std = el('input', { id: 'numpy-custom-std', testid: 'numpy-custom-std', type: 'number', step: 'any', inputmode: 'decimal', value: '0.5', autocomplete: 'off' });
  const scoreCustom = el('button', { type: 'button', class: 'btn btn-small', testid: 'numpy-custom-score' }, 'Score this μ, σ');
  const customError = el('p', { class: 'field-error', testid: 'numpy-custom-error', role: 'alert' });
  const ok = el('button', { type: 'button', class: 'btn btn-primary', testid: 'numpy-import-ok' }, 'Import');
  const cancel = el('button', { type: 'button', class: 'btn', testid: 'numpy-import-cancel' }, 'Cancel');
  const node = el(
    'div',
    { class: 'card numpy-import', testid: 'numpy-import', role: 'group', 'aria-labelledby': 'numpy-import-title', hidden: true },
    title,
    read,
    el('p', { class: 'field-note' }, 'A model trained elsewhere expects its inputs as it was trained. Test accuracy on the whole test set under each transform x = (pixel/255 − μ)/σ:'),
    list,
    best,
    el(
      'div',
      { class: 'numpy-custom', role: 'group', 'aria-label': 'Custom μ and σ' },
      el('label', { for: 'numpy-custom-mean' }, 'custom μ '),
      mean,
      el('label', { for: 'numpy-custom-std' }, ' σ '),
      std,
      scoreCustom,
    ),
    customError,
    el('div', { class: 'toolbar-buttons' }, ok, cancel),
  );

  const say = (good, text) => {
    s.importResult = { ok: good, text };
    session.invalidate('import');
  };

  function close() {
    current = null;
    node.hidden = true;
  }

  function render() {
    if (!current) return;
    const { scores, chosen } = current;
    setValue(read, `Read: ${scores.read}.`);
    list.replaceChildren(
      ...scores.scores.map((t, i) => {
        const id = `numpy-transform-${t.id}`;
        const radio = el('input', { type: 'radio', name: 'numpy-transform', id, testid: id, value: t.id, checked: i === chosen, data: { accuracy: String(t.accuracy ?? NaN), mean: String(t.mean), std: String(t.std) } });
        radio.addEventListener('change', () => {
          if (current && radio.checked) current.chosen = i;
          renderBest();
        });
        const acc = t.accuracy === null || !Number.isFinite(t.accuracy) ? 'cannot be scored' : formatPercent(t.accuracy);
        return el('label', { class: `numpy-transform${i === scores.best ? ' best' : ''}`, for: id }, radio, el('span', {}, t.label), el('strong', { class: 'numpy-acc' }, acc));
      }),
    );
    renderBest();
  }

  function renderBest() {
    if (!current) return;
    const { scores, chosen } = current;
    const b = scores.scores[scores.best];
    const picked = chosen === scores.best ? ' — chosen; pick another if you know the model expects it.' : `; you chose ${scores.scores[chosen].label}.`;
    setValue(best, `Best: ${b.label}, ${formatPercent(b.accuracy ?? NaN)} test accuracy${picked}`, b.id);
  }

  async function score(files, customMean = NaN, customStd = NaN) {
    return scoreNumpy(session, files, customMean, customStd);
  }

  /** @param {File[]} chosen */
  async function choose(chosen) {
    const numpy = chosen.filter(isNumpy);
    if (numpy.length === 0) {
      if (chosen[0]) await importWeights(session, chosen[0]);
      return;
    }
    close();
    let files = numpy.slice(0, 2);
    const names = (fs) => fs.map((f) => `“${f.name}”`).join(' and ');
    if (files.length === 1 && /\.npy$/i.test(files[0].name)) {
      if (!pending || pending.name === files[0].name) {
        pending = files[0];
        say(true, `Kept ${names(files)}: now choose the other .npy file (W or b) with Import weights…; which is which is told by shape.`);
        return;
      }
      files = [pending, files[0]];
    }
    pending = null;
    if (s.busy || s.generation === 0) return say(false, `${names(files)} not imported: no model is loaded yet. The current model is kept.`);
    try {
      const bytes = await readNumpy(session, files);
      const scores = await score(bytes);
      current = { files: bytes, scores, chosen: scores.best };
      customError.textContent = '';
      node.hidden = false;
      render();
      say(true, `${names(files)}: choose the input transform below, then Import.`);
      node.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      const reason = e.crashed ? 'the training worker crashed while reading it' : e.reason ?? e.message;
      say(false, `${names(files)} ${files.length > 1 ? 'were' : 'was'} not imported: ${reason}. The current model is kept.`);
    }
  }

  scoreCustom.addEventListener('click', async () => {
    if (!current) return;
    const m = mean.value.trim() === '' ? NaN : Number(mean.value);
    const sd = std.value.trim() === '' ? NaN : Number(std.value);
    try {
      const scores = await score(current.files, m, sd);
      const custom = scores.scores.findIndex((t) => t.id === 'custom');
      current = { ...current, scores, chosen: custom >= 0 ? custom : scores.best };
      customError.textContent = '';
      mean.setAttribute('aria-invalid', 'false');
      std.setAttribute('aria-invalid', 'false');
      render();
    } catch (e) {
      customError.textContent = `${e.reason ?? e.message}.`;
      mean.setAttribute('aria-invalid', 'true');
      std.setAttribute('aria-invalid', 'true');
    }
  });

  ok.addEventListener('click', async () => {
    if (!current) return;
    const { files, scores, chosen } = current;
    ok.disabled = true;
    try {
      await importNumpy(session, files, scores.scores[chosen]);
    } finally {
      ok.disabled = false;
      close();
    }
  });

  cancel.addEventListener('click', () => {
    if (current) say(false, `${current.files.map((f) => `“${f.name}”`).join(' and ')} not imported (cancelled). The current model is kept.`);
    close();
  });

  return { node, choose };
}
