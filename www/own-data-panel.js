// @ts-check
// The "Your files…" panel of the Train section's data card: pick a training file (CSV or an IDX
// pair), a test file or a held-out share, an optional class-names file, then Load. The session
// (session-own-data.js) reads them and the core validates them; the panel shows the outcome.

import { el, setValue } from './dom.js';
import { describeFiles, loadOwnData } from './session-own-data.js';

/**
 * @param {import('./session.js').Session} session
 * @param {() => void} onClose called when Cancel closes the panel without loading
 * @returns {{node: HTMLElement, open: () => void, close: () => void, isOpen: () => boolean, render: () => void}}
 */
export function mountOwnDataPanel(session, onClose) {
  const s = session.state;
  const fileInput = (id, label, props = {}) => {
    const input = el('input', { id, testid: id, type: 'file', ...props });
    return { input, node: el('div', { class: 'own-data-file' }, el('label', { for: id }, label), input) };
  };
  const train = fileInput('own-data-train', 'Training file', { multiple: true, accept: '.csv,.txt,.idx,.gz,*/*' });
  const test = fileInput('own-data-test', 'Test file (optional)', { multiple: true, accept: '.csv,.txt,.idx,*/*' });
  const names = fileInput('own-data-names', 'Class names (optional)', { accept: '.txt,.csv,text/plain' });
  const holdout = el('input', { id: 'own-data-holdout', testid: 'own-data-holdout', type: 'number', min: 0.05, max: 0.9, step: 0.05, value: '0.2', inputmode: 'decimal' });
  const load = el('button', { type: 'button', class: 'btn btn-primary', testid: 'own-data-load' }, 'Load');
  const cancel = el('button', { type: 'button', class: 'btn', testid: 'own-data-cancel' }, 'Cancel');
  const message = el('p', { class: 'toolbar-note', testid: 'own-data-message', role: 'status' });
  const inUse = el('p', { class: 'field-note', testid: 'own-data-in-use' });
  const limits = el('p', { class: 'field-note', testid: 'own-data-limits' });
  const node = el(
    'div',
    { class: 'own-data', testid: 'own-data', role: 'group', 'aria-label': 'Your own data set', hidden: true },
    el('p', { class: 'field-note' }, 'Your own 28 × 28 grayscale images: a CSV with one image per row, ', el('code', {}, 'label,pixel0,…,pixel783'), ' (values 0–255, ink bright, header optional), or an IDX images file with its labels file, as MNIST’s. Labels 0 … c − 1.'),
    train.node,
    test.node,
    el('div', { class: 'own-data-file' }, el('label', { for: 'own-data-holdout' }, 'Held-out share, if no test file (chosen with the seed)'), holdout),
    names.node,
    el('p', { class: 'field-note' }, 'Names: one per line or comma-separated, in label order (else a first CSV line “# classes: a, b, c”, else the digits).'),
    limits,
    el('div', { class: 'toolbar-buttons' }, load, cancel),
    message,
    inUse,
  );
  let open = false;

  function pick() {
    const list = (input) => [...(input.files || [])];
    return { train: list(train.input), test: list(test.input), names: list(names.input)[0] || null, testShare: Number(holdout.value) };
  }

  function render() {
    node.hidden = !open && s.dataset !== 'files';
    const d = s.defaults;
    if (d) setValue(limits, `Limits: each file at most ${d.max_data_bytes / 2 ** 20} MiB; 2 to ${d.max_classes} classes; a held-out share above 0 and at most 0.9. The files are read here, in your browser: nothing is uploaded, and they are not stored (a reload asks for them again).`);
    const m = s.ownMessage;
    setValue(message, m ? m.text : '');
    message.classList.toggle('ok', Boolean(m && m.ok));
    message.classList.toggle('error', Boolean(m && !m.ok));
    setValue(inUse, s.dataset === 'files' && s.ownData ? `In use: ${describeFiles(s.ownData.files)}.` : '');
    holdout.disabled = (test.input.files?.length ?? 0) > 0;
    load.disabled = s.busy;
  }

  load.addEventListener('click', async () => {
    const p = pick();
    load.disabled = true;
    if (await loadOwnData(session, p)) open = false;
    render();
  });
  cancel.addEventListener('click', () => {
    open = false;
    render();
    onClose();
  });
  test.input.addEventListener('change', render);

  return {
    node,
    open: () => {
      open = true;
      render();
      train.input.focus();
    },
    close: () => {
      open = false;
      render();
    },
    isOpen: () => open,
    render,
  };
}
