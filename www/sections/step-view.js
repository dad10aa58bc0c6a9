// @ts-check
// Section "One SGD step in slow motion": the next minibatch of the Train model and every matrix
// of the step it is about to take — X, Y, Z, Ŷ, Ŷ − Y, ∇W, ∇b, W before → after — stage by stage,
// each with its formula, as the core computed them (Lab.stepView). "Apply" is the session's Step:
// the same minibatch (the trainer's order is deterministic), and the core took the view's loss
// and W after from that very step on a copy of the trainer, so they are what applying gives.
//
// Its parts in step-view/: the stages with their formulas, cards and drawing (stages.js) and
// the heat maps of Y, Z, Ŷ and Ŷ − Y (heat-map.js); this module holds the controls, the figures
// of the step and whether the view is still of the step the Train model takes next.

import { el, setValue } from '../dom.js';
import { errorText, formatInt, formatNumber } from '../format.js';
import { lessonSection } from '../run-control.js';
import { statusLine } from '../widgets.js';
import { mountStages, STAGES, TEX } from './step-view/stages.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'step-view';
export const TITLE = 'One SGD step';

/** Rows of the minibatch shown (the gradient and the weights are always of the whole minibatch). */
export const ROWS = 16;

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: 'One SGD step in slow motion',
  lede: [
    'The next minibatch of the Train model and every matrix of the step it is about to take, as the core computes them: ',
    'the scores Z, the guesses Ŷ, how far they are from the labels Y, and the gradient — “how far the guesses are from ground truth” times “the input features”. ',
    'Walk through it with Next, then apply it: the model takes exactly this step, as if you had pressed Step.',
  ],
  formulas: [TEX.z, String.raw`\hat{\mathbf{Y}} = \operatorname{softmax}(\mathbf{Z})`, TEX.gradWL2],
}, build);

/**
 * The body of the section and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const s = session.state;
  const view = {
    /** @type {import('../protocol.js').StepView|null} */
    data: null,
    generation: -1,
    crashes: 0,
    stage: 0,
    busy: false,
    /** @type {string|null} */
    error: null,
  };
  let crashes = 0;
  session.lab.on('crash', () => {
    crashes += 1;
  });

  // --- Controls ------------------------------------------------------------------------------
  const take = el('button', { type: 'button', class: 'btn', testid: 'step-view-refresh', title: 'Compute the step the Train model takes next, without taking it' }, 'Take the next minibatch');
  const prev = el('button', { type: 'button', class: 'btn', testid: 'step-view-prev', title: 'Back one stage' }, '◀ Back');
  const next = el('button', { type: 'button', class: 'btn btn-primary', testid: 'step-view-next', title: 'The next stage of the step' }, 'Next ▶');
  const all = el('button', { type: 'button', class: 'btn btn-ghost', testid: 'step-view-all', title: 'Show every stage at once' }, 'Show all');
  const apply = el('button', { type: 'button', class: 'btn', testid: 'step-view-apply', title: 'Take this step on the Train model (the same as pressing Step)' }, 'Apply this step');
  const stageText = el('span', { class: 'sv-stage-text', testid: 'step-view-stage', data: { value: '0' }, role: 'status' });
  const dots = el(
    'ol',
    { class: 'sv-dots', 'aria-label': 'Stages' },
    ...STAGES.map((st, i) => el('li', {}, el('button', { type: 'button', class: 'sv-dot', testid: `step-view-goto-${i}`, title: st.title, on: { click: () => goTo(i) } }, st.short))),
  );
  const status = statusLine('step-view-status');
  const stale = el('p', { class: 'sv-stale', testid: 'step-view-stale', role: 'alert' });
  stale.hidden = true;

  // --- Figures of the step -------------------------------------------------------------------
  const fig = (testid, label) => {
    const value = el('dd', { testid, class: 'fig-value', data: { value: '' } }, '–');
    return { node: el('div', { class: 'fig' }, el('dt', {}, label), value), value };
  };
  const figs = { step: fig('step-view-step', 'Step'), n: fig('step-view-n', 'Minibatch n'), loss: fig('step-view-loss', 'Loss f_CE of this minibatch'), applied: fig('step-view-applied', 'Last applied step: its loss') };
  const rowsNote = el('p', { class: 'sv-rows-note', testid: 'step-view-rows' });

  // --- The stages ----------------------------------------------------------------------------
  const { cards, draw: drawStages } = mountStages(s);

  const panel = el(
    'div',
    { class: 'sv', testid: 'step-view', data: { state: 'empty', step: '', n: '', rows: '' } },
    el(
      'div',
      { class: 'card sv-controls' },
      el('div', { class: 'sv-toolbar', role: 'group', 'aria-label': 'Walk through the step' }, take, prev, next, all, apply),
      el('div', { class: 'sv-progress' }, dots, stageText),
      el('dl', { class: 'figs' }, figs.step.node, figs.n.node, figs.loss.node, figs.applied.node),
      rowsNote,
      stale,
      status.node,
    ),
    ...cards,
  );
  root.append(panel);

  // --- State ---------------------------------------------------------------------------------
  const ready = () => s.generation > 0 && !s.busy && s.status.state !== 'loading';

  /** Whether the view is of the step the Train model takes next, with the settings it has now. */
  function current() {
    const v = view.data;
    return Boolean(v) && ready() && view.generation === s.generation && view.crashes === crashes && v.step === s.progress.step + 1
      && v.learning_rate === s.hyper?.learning_rate && v.batch_size === s.hyper?.batch_size && v.l2 === s.hyper?.l2;
  }

  function renderControls() {
    const fresh = current();
    const state = !view.data ? 'empty' : fresh ? 'current' : 'stale';
    panel.dataset.state = state;
    take.disabled = view.busy || !ready() || s.playing;
    apply.disabled = view.busy || !fresh || s.playing || !session.canTrain();
    prev.disabled = !view.data || view.stage === 0;
    next.disabled = !view.data || view.stage === STAGES.length - 1;
    all.disabled = !view.data || view.stage === STAGES.length - 1;
    take.classList.toggle('btn-primary', state === 'stale');
    let why = '';
    if (view.data && !fresh) {
      why = s.progress.step + 1 !== view.data.step || view.generation !== s.generation || view.crashes !== crashes
        ? `The Train model has moved on (it is at step ${formatInt(s.progress.step)} now): this view of step ${formatInt(view.data.step)} is stale. Take the next minibatch to see the step it takes now.`
        : 'The settings changed (ε, n or α): this view is stale. Take the next minibatch to see the step with the new settings.';
      if (s.playing) why += ' (Pause training first.)';
    }
    stale.hidden = !why;
    setValue(stale, why);
    if (!view.error) {
      if (!ready()) status.set('idle', 'Waiting for the data set to load…');
      else if (view.busy) status.set('running', 'Computing the step in the worker…');
      else if (!view.data && s.playing) status.set('idle', 'The Train model is training: pause it to take its next minibatch.');
      else if (!view.data) status.set('idle', 'Press “Take the next minibatch” to see the step the Train model takes next, before it takes it.');
      else status.set('idle', fresh ? `Step ${formatInt(view.data.step)} of the Train model, not taken yet: walk through it, then apply it.` : 'Stale: see above.');
    }
  }

  function renderStage() {
    cards.forEach((card, i) => {
      card.hidden = !view.data || i > view.stage;
      card.classList.toggle('sv-current', i === view.stage);
    });
    for (const [i, dot] of [...dots.querySelectorAll('button')].entries()) {
      dot.classList.toggle('sv-dot-done', i <= view.stage);
      if (i === view.stage) dot.setAttribute('aria-current', 'step');
      else dot.removeAttribute('aria-current');
      dot.disabled = !view.data;
    }
    const st = STAGES[view.stage];
    setValue(stageText, `Stage ${view.stage + 1} of ${STAGES.length}: ${st.title}`, view.stage);
    renderControls();
  }

  function goTo(i, scroll = true) {
    view.stage = Math.max(0, Math.min(STAGES.length - 1, i));
    renderStage();
    if (scroll) cards[view.stage].scrollIntoView({ block: 'nearest' });
  }

  // --- Drawing one view ----------------------------------------------------------------------
  function draw(/** @type {import('../protocol.js').StepView} */ v) {
    panel.dataset.step = String(v.step);
    panel.dataset.n = String(v.n);
    panel.dataset.rows = String(v.rows);
    setValue(figs.step.value, formatInt(v.step), v.step);
    setValue(figs.n.value, formatInt(v.n), v.n);
    setValue(figs.loss.value, formatNumber(v.loss, 5), v.loss);
    const shown = v.rows < v.n ? `Showing the first ${formatInt(v.rows)} of ${formatInt(v.n)} rows of X, Y, Z, Ŷ and Ŷ − Y; ∇W, ∇b and W are of all ${formatInt(v.n)}.` : `All ${formatInt(v.n)} rows of the minibatch are shown.`;
    setValue(rowsNote, shown);
    drawStages(v);
  }

  // --- Actions -------------------------------------------------------------------------------
  async function takeView() {
    if (view.busy || !ready() || s.playing) return;
    view.busy = true;
    view.error = null;
    renderControls();
    try {
      await session.hyperChain; // the settings the model has
      const r = await session.lab.stepView(ROWS);
      view.data = r.view;
      view.generation = r.generation;
      view.crashes = crashes;
      draw(r.view);
    } catch (e) {
      if (!e.crashed) {
        view.error = errorText(e);
        status.set('error', e.kind === 'diverged' ? `This step would diverge: ${view.error}. Reset the model or lower ε.` : view.error);
      }
    } finally {
      view.busy = false;
      renderStage();
    }
  }

  async function applyView() {
    await session.hyperChain;
    const v = view.data;
    if (!v || !current() || view.busy || s.playing) {
      renderControls();
      return;
    }
    view.busy = true;
    renderControls();
    try {
      await session.step(); // the Train section's Step: charts, counters and saving follow
    } finally {
      view.busy = false;
    }
    const t = s.train;
    if (s.progress.step === v.step && t.lastStep === v.step) {
      setValue(figs.applied.value, `${formatNumber(t.last, 5)} at step ${formatInt(v.step)}${t.last === v.loss ? ' (as the view said)' : ''}`, t.last);
      figs.applied.value.dataset.step = String(v.step);
      await takeView(); // the next minibatch, at the same stage
    } else {
      renderControls();
    }
  }

  take.addEventListener('click', () => takeView());
  apply.addEventListener('click', () => applyView());
  next.addEventListener('click', () => goTo(view.stage + 1));
  prev.addEventListener('click', () => goTo(view.stage - 1));
  all.addEventListener('click', () => goTo(STAGES.length - 1, false));

  // Nothing is taken by itself (except the next view after Apply): a panel that filled in while
  // the page scrolls past would push the sections below it (the drawing pad) under the finger.
  session.on('frame', () => renderControls());
  renderStage();
}
